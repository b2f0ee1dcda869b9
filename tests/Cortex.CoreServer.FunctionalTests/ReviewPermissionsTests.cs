using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// Every action of the draft and canon gates, tried over HTTP by every non-admin role on someone else's content. The
/// allowed sets are written out here, independently of the permission matrix.
/// </summary>
public sealed class ReviewPermissionsTests(CortexApp app) : IClassFixture<CortexApp>
{
    private const string AllReviewActions =
        "CreateDraft EditDraft ApproveDraft RejectDraft CreateArtifact ProposeArtifactVersion AcceptCanon DeprecateArtifact " +
        "ProposeSubcortex ActivateSubcortex DeclineSubcortex ManageTemplates";

    [Theory]
    [InlineData(Role.Reviewer, AllReviewActions)]
    [InlineData(Role.Member, "CreateDraft CreateArtifact ProposeArtifactVersion ProposeSubcortex")]
    [InlineData(Role.Agent, "CreateDraft CreateArtifact ProposeArtifactVersion")]
    [InlineData(Role.Reader, "")]
    public async Task Every_review_action_is_allowed_exactly_for_the_roles_that_hold_it(Role role, string allowed)
    {
        var tag = "perm-" + role.ToString().ToLowerInvariant();
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, tag);
        var proposer = await app.CreatePrincipalAsync($"{tag}-proposer", Role.Member);
        var bot = await app.CreatePrincipalAsync($"{tag}-bot", Role.Agent);
        var subject = await app.CreatePrincipalAsync($"{tag}-subject", role);
        using var proposerClient = app.Client(proposer.Key);
        using var botClient = app.Client(bot.Key);
        using var client = app.Client(subject.Key);
        await ThreadsTests.CreateSubcortexAsync(proposerClient, $"{tag}-to-activate");
        await ThreadsTests.CreateSubcortexAsync(proposerClient, $"{tag}-to-decline");
        var toApprove = await DraftsTests.CreateDraftAsync(botClient, tag, "Approve me");
        var toReject = await DraftsTests.CreateDraftAsync(botClient, tag, "Reject me");
        var toEdit = await DraftsTests.CreateDraftAsync(botClient, tag, "Edit me");
        var artifact = await ArtifactsTests.CreateArtifactAsync(admin, tag, "Runbook", "runbook");
        await Expect.Status(await admin.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new { body = "Step one." }), HttpStatusCode.Created);
        var toDeprecate = await ArtifactsTests.CreateArtifactAsync(admin, tag, "Old runbook", "runbook");

        var attempts = new Dictionary<string, Func<Task<HttpResponseMessage>>>
        {
            ["CreateDraft"] = () => client.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex = tag, title = "Mine", body = "Mine." }),
            ["EditDraft"] = () => client.PatchAsJsonAsync($"/api/v1/drafts/{toEdit}", new { body = "Edited.", version = 1 }),
            ["ApproveDraft"] = () => client.PostAsync($"/api/v1/drafts/{toApprove}/approve", null),
            ["RejectDraft"] = () => client.PostAsJsonAsync($"/api/v1/drafts/{toReject}/reject", new { reason = "No." }),
            ["CreateArtifact"] = () => client.PostAsJsonAsync("/api/v1/artifacts", new { subcortex = tag, title = "Spec", kind = "spec" }),
            ["ProposeArtifactVersion"] = () => client.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new { body = "Step two." }),
            ["AcceptCanon"] = () => client.PostAsync($"/api/v1/artifacts/{artifact}/versions/1/accept", null),
            ["DeprecateArtifact"] = () => client.PostAsync($"/api/v1/artifacts/{toDeprecate}/deprecate", null),
            ["ProposeSubcortex"] = () => client.PostAsJsonAsync("/api/v1/subcortexes", new { slug = $"{tag}-mine", name = "Mine" }),
            ["ActivateSubcortex"] = () => client.PostAsync($"/api/v1/subcortexes/{tag}-to-activate/activate", null),
            ["DeclineSubcortex"] = () => client.PostAsync($"/api/v1/subcortexes/{tag}-to-decline/decline", null),
            ["ManageTemplates"] = () => client.PutAsJsonAsync($"/api/v1/subcortexes/{tag}/templates/runbook", new { minEvidence = 1 }),
        };
        Assert.Equal(AllReviewActions.Split(' ').Order(), attempts.Keys.Order());

        var expected = allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        foreach (var (action, attempt) in attempts)
        {
            using var response = await attempt();
            var status = (int)response.StatusCode;
            if (expected.Contains(action))
            {
                Assert.True(status is >= 200 and < 300, $"{role} {action}: expected success, got {status} {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                // Someone else's draft is invisible to those who may not review it, so editing it is a 404 rather than a 403.
                var refusal = action == "EditDraft" ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
                Assert.True(response.StatusCode == refusal, $"{role} {action}: expected {(int)refusal}, got {status} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
