using Cortex.SharedModel.Api;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Xunit;

namespace Cortex.SharedModel.Tests;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("ops", true)]
    [InlineData("on-call-2", true)]
    [InlineData("a1", true)]
    [InlineData("a", false)]
    [InlineData("Ops", false)]
    [InlineData("-ops", false)]
    [InlineData("ops-", false)]
    [InlineData("on--call", false)]
    [InlineData("on_call", false)]
    [InlineData("ops\n", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Slugs(string? slug, bool valid) => Assert.Equal(valid, Rules.IsSlug(slug));

    [Fact]
    public void Slugs_are_at_most_64_characters()
    {
        Assert.True(Rules.IsSlug(new string('a', 64)));
        Assert.False(Rules.IsSlug(new string('a', 65)));
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("ci.bot_2", true)]
    [InlineData("j-doe", true)]
    [InlineData("x", false)]
    [InlineData("Admin", false)]
    [InlineData(".admin", false)]
    [InlineData("admin_", false)]
    [InlineData("ad min", false)]
    [InlineData("adm\u00efn", false)]
    public void Handles(string handle, bool valid) => Assert.Equal(valid, Rules.IsHandle(handle));

    [Fact]
    public void Handles_are_at_most_40_characters()
    {
        Assert.True(Rules.IsHandle(new string('h', 40)));
        Assert.False(Rules.IsHandle(new string('h', 41)));
    }

    [Fact]
    public void Text_rejects_blank_oversized_and_control_characters_but_keeps_newlines()
    {
        Assert.True(Rules.IsText("line one\nline two\ttabbed\r\n", 100));
        Assert.False(Rules.IsText("   ", 100));
        Assert.True(Rules.IsText("", 100, allowEmpty: true));
        Assert.False(Rules.IsText("bell\u0007", 100));
        Assert.False(Rules.IsText("nul\0", 100));
        Assert.False(Rules.IsText(new string('x', 101), 100));
        Assert.False(Rules.IsLine("two\nlines", 100));
    }

    [Theory]
    [InlineData("incident", true)]
    [InlineData("Incident", true)]
    [InlineData("1", false)]
    [InlineData("2,3", false)]
    [InlineData("rant", false)]
    public void Enum_values_are_names_never_numbers(string value, bool valid) =>
        Assert.Equal(valid, Rules.TryParseEnum<ThreadKind>(value, out _));

    [Fact]
    public void Create_thread_requires_a_title_line_and_a_body_and_defaults_the_kind()
    {
        Assert.True(new CreateThreadRequest("Title", "Body", null).Validate(out var kind).IsValid);
        Assert.Equal(ThreadKind.Discussion, kind);

        var errors = new CreateThreadRequest(null, "", "rant").Validate(out _).ToDictionary();
        Assert.Equal(["body", "kind", "title"], errors.Keys.Order());
        Assert.False(new CreateThreadRequest("two\nlines", "b", null).Validate(out _).IsValid);
        Assert.False(new CreateThreadRequest(new string('t', Rules.TitleMaxLength + 1), "b", null).Validate(out _).IsValid);
        Assert.False(new CreateThreadRequest("t", new string('b', Rules.BodyMaxLength + 1), null).Validate(out _).IsValid);
    }

    [Fact]
    public void Updates_accept_partial_fields_and_reject_non_positive_versions()
    {
        Assert.True(new UpdateThreadRequest(null, null, null, null).Validate(out _).IsValid);
        Assert.Equal(["version"], new UpdateThreadRequest("t", null, null, 0).Validate(out _).ToDictionary().Keys);
        Assert.Equal(["title"], new UpdateThreadRequest("", null, null, 1).Validate(out _).ToDictionary().Keys);
    }

    [Fact]
    public void Subcortex_requests_validate_slug_name_description_and_state()
    {
        Assert.True(new CreateSubcortexRequest("ops", "Operations", null, null).Validate().IsValid);
        Assert.Equal(["name", "slug"], new CreateSubcortexRequest("Ops!", " ", null, null).Validate().ToDictionary().Keys.Order());
        Assert.Equal(
            ["description"],
            new CreateSubcortexRequest("ops", "Ops", new string('d', Rules.DescriptionMaxLength + 1), null).Validate().ToDictionary().Keys);
        Assert.Equal(["state"], new UpdateSubcortexRequest(null, null, "merged", null, null).Validate(out _).ToDictionary().Keys);
        Assert.True(new UpdateSubcortexRequest(null, null, "archived", null, 3).Validate(out var state).IsValid);
        Assert.Equal(SubcortexState.Archived, state);
    }

    [Fact]
    public void Principals_must_pair_the_agent_kind_with_the_agent_role()
    {
        Assert.True(new CreatePrincipalRequest("ci-bot", "CI", "agent", "agent").Validate(out var kind, out var role).IsValid);
        Assert.Equal((PrincipalKind.Agent, Role.Agent), (kind, role));
        Assert.Equal(["role"], new CreatePrincipalRequest("ci-bot", "CI", "agent", "reviewer").Validate(out _, out _).ToDictionary().Keys);
        Assert.Equal(["role"], new CreatePrincipalRequest("jo", "Jo", "human", "agent").Validate(out _, out _).ToDictionary().Keys);
        Assert.Equal(["role"], new CreatePrincipalRequest("jo", "Jo", null, null).Validate(out _, out _).ToDictionary().Keys);
        Assert.Equal(
            ["displayName", "handle", "kind"],
            new CreatePrincipalRequest("J", "", "robot", "member").Validate(out _, out _).ToDictionary().Keys.Order());
        Assert.Equal(["role"], new UpdatePrincipalRequest(null, "agent", null, 1).Validate(PrincipalKind.Human, out _).ToDictionary().Keys);
    }

    [Fact]
    public void Keys_must_expire_in_the_future()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(new CreateKeyRequest("ci", now.AddDays(1)).Validate(now).IsValid);
        Assert.True(new CreateKeyRequest(null, null).Validate(now).IsValid);
        Assert.Equal(["expiresAt"], new CreateKeyRequest("ci", now).Validate(now).ToDictionary().Keys);
        Assert.Equal(["name"], new CreateKeyRequest("", null).Validate(now).ToDictionary().Keys);
    }

    [Fact]
    public void Ids_are_canonical_ulids_ordered_by_time()
    {
        var earlier = CortexId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var later = CortexId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero));
        Assert.True(CortexId.IsValid(earlier));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.False(CortexId.IsValid(earlier.ToLowerInvariant()));
        Assert.False(CortexId.IsValid("not-an-id"));
        Assert.False(CortexId.IsValid(null));
    }
}
