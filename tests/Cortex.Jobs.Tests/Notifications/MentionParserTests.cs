using Cortex.Worker.Notifications;
using Xunit;

namespace Cortex.Jobs.Tests.Notifications;

public sealed class MentionParserTests
{
    [Theory]
    [InlineData("Hi @alice, can you look?", "alice")]
    [InlineData("@alice and @bob-2 and @alice again", "alice bob-2")]
    [InlineData("Ping @Carol.", "carol")]
    [InlineData("*@dave* and **@erin** and _@frank_", "dave erin frank")]
    [InlineData("cc @ops_team_1", "ops_team_1")]
    [InlineData("- item for @gina\n> quoted @hal", "gina hal")]
    [InlineData("# Heading for @ivy", "ivy")]
    [InlineData("[ask @jo](https://example.com/@notme)", "jo")]
    public void Finds_handles_in_prose(string markdown, string expected) =>
        Assert.Equal(expected.Split(' '), MentionParser.Parse(markdown));

    [Theory]
    [InlineData("Use `@alice` in the config")]
    [InlineData("``@alice `tick` ``")]
    [InlineData("```\n@alice\n```")]
    [InlineData("~~~yaml\nowner: @alice\n~~~")]
    [InlineData("Paragraph.\n\n    @alice in an indented block")]
    [InlineData("<div>@alice</div>")]
    [InlineData("Write to alice@example.com or <mailto:x@alice.dev>")]
    [InlineData("@a is too short, @-bad starts wrong")]
    [InlineData("@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is longer than any handle")]
    [InlineData("no mentions at all")]
    public void Ignores_code_html_addresses_and_non_handles(string markdown) =>
        Assert.Empty(MentionParser.Parse(markdown));

    [Fact]
    public void Keeps_prose_mentions_beside_code()
    {
        const string markdown = "Ask @alice about `@bob`.\n\n```\n@carol\n```\n\nThen @dave.";
        Assert.Equal(["alice", "dave"], MentionParser.Parse(markdown));
    }
}
