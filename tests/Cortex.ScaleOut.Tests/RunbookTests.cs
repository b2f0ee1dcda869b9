using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.ScaleOut.Tests.Infrastructure;
using Cortex.Testing;

namespace Cortex.ScaleOut.Tests;

/// <summary>
/// The runbooks' tested snippets, run by bash against the cluster (curl and jq, as an operator has them), then the
/// database is checked for what each runbook promises.
/// </summary>
[Collection(ScaleOutCluster.Collection)]
public sealed class RunbookTests(ScaleOutCluster cluster)
{
    [Fact]
    public async Task Rotate_keys_rotates_with_overlap_then_cuts_over()
    {
        var agent = await CreatePrincipalAsync("rb-rotate", "agent");
        await RunAsync("rotate-keys.md", new() { ["handle"] = agent.Handle, ["old_key"] = agent.Key });

        Assert.Equal(1L, await Count($"api_keys WHERE principal_id = '{agent.Id}' AND revoked_at IS NULL"));
        Assert.Equal(1L, await Count($"api_keys WHERE id = '{agent.KeyId}' AND revoked_at IS NOT NULL AND expires_at IS NOT NULL"));
        Assert.Equal(1L, await Count($"audit_events WHERE action = 'key.rotate' AND target_id = '{agent.KeyId}'"));
    }

    [Fact]
    public async Task Incident_response_revokes_disables_and_quarantines_the_suspects_writes()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var agent = await CreatePrincipalAsync("rb-incident", "agent");
        using (var admin = cluster.A.Client(cluster.AdminKey))
        {
            await Ok(await admin.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "rb-incident-sub", name = "Incident" }));
        }

        using (var suspect = cluster.B.Client(agent.Key))
        {
            foreach (var n in new[] { 1, 2 })
            {
                await Ok(await suspect.PostAsJsonAsync(
                    "/api/v1/observations", new { clientId = $"rb-poison-{n}", subcortex = "rb-incident-sub", kind = "note", text = $"false claim {n}" }));
            }
        }

        await RunAsync("incident-response.md", new() { ["key_id"] = agent.KeyId, ["suspect"] = agent.Id, ["since"] = since });

        Assert.Equal(1L, await Count($"api_keys WHERE id = '{agent.KeyId}' AND revoked_at IS NOT NULL"));
        Assert.Equal(1L, await Count($"principals WHERE id = '{agent.Id}' AND disabled"));
        Assert.Equal(2L, await Count(
            $"quarantines q JOIN observations o ON o.id = q.entity_id WHERE q.entity = 'observation' AND o.author_id = '{agent.Id}' AND q.lifted_at IS NULL"));
    }

    [Fact]
    public async Task Moderation_quarantines_lists_and_lifts()
    {
        var reviewer = await CreatePrincipalAsync("rb-moderator", "reviewer");
        using var admin = cluster.A.Client(cluster.AdminKey);
        await Ok(await admin.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "rb-moderation", name = "Moderation" }));
        var thread = (await Ok(await admin.PostAsJsonAsync("/api/v1/subcortexes/rb-moderation/threads", new { title = "Doubtful", body = "claim" })))
            .GetProperty("id").GetString()!;

        await RunAsync("moderation-and-quarantine.md", new() { ["CORTEX_REVIEWER_KEY"] = reviewer.Key, ["entity"] = "thread", ["item"] = thread });

        Assert.Equal(1L, await Count($"quarantines WHERE entity_id = '{thread}' AND lifted_at IS NOT NULL AND quarantined_by = '{reviewer.Id}'"));
    }

    [Fact]
    public async Task Reindex_runs_one_subcortex_then_everything_and_follows_it_to_success()
    {
        using var admin = cluster.A.Client(cluster.AdminKey);
        var subcortex = (await Ok(await admin.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "rb-reindex", name = "Reindex" })))
            .GetProperty("id").GetString()!;
        await Ok(await admin.PostAsJsonAsync("/api/v1/subcortexes/rb-reindex/threads", new { title = "Vacuum runbook", body = "Run it weekly." }));
        var everythingBefore = await Count("reindex_runs WHERE subcortex_id IS NULL AND state = 'succeeded'");

        // "Follow it" waits for the worker, as an operator's terminal would.
        await using (await cluster.StartWorkerAsync("rb-reindex-worker"))
        {
            await RunAsync("reindex.md", new() { ["slug"] = "rb-reindex" });
        }

        Assert.Equal(1L, await Count($"reindex_runs WHERE subcortex_id = '{subcortex}'"));
        Assert.Equal(everythingBefore + 1, await Count("reindex_runs WHERE subcortex_id IS NULL AND state = 'succeeded'"));
    }

    private async Task RunAsync(string runbook, Dictionary<string, string> environment)
    {
        environment["CORTEX_URL"] = cluster.A.Url.ToString().TrimEnd('/');
        environment["CORTEX_ADMIN_KEY"] = cluster.AdminKey;
        var (exitCode, output) = await Runbook.RunAsync(runbook, environment);
        Assert.True(exitCode == 0, $"runbooks/{runbook} failed with exit code {exitCode}:\n{output}");
    }

    private Task<long> Count(string from) => cluster.Database.ScalarAsync<long>($"SELECT count(*) FROM {from}");

    private async Task<(string Id, string Handle, string Key, string KeyId)> CreatePrincipalAsync(string handle, string role)
    {
        using var admin = cluster.A.Client(cluster.AdminKey);
        var kind = role == "agent" ? "agent" : "human";
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/principals", new { handle, displayName = handle, kind, role }));
        var id = created.GetProperty("id").GetString()!;
        var key = await Ok(await admin.PostAsJsonAsync($"/api/v1/principals/{id}/keys", new { name = "runbook" }));
        return (id, handle, key.GetProperty("key").GetString()!, key.GetProperty("apiKey").GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
