using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Search;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class SearchTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Keyword_search_finds_threads_and_comments_ranked_with_marked_snippets()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "search-ops");
        var strong = await ThreadsTests.CreateThreadAsync(
            admin, "search-ops", "Postgres vacuum stalls", "Autovacuum stalls when a long transaction holds the xmin horizon back.");
        var weak = await ThreadsTests.CreateThreadAsync(admin, "search-ops", "Weekly notes", "Lots of things happened; also vacuum ran.");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "search-ops", "Unrelated", "Nothing to see.");
        var comment = await Expect.Json(
            await admin.PostAsJsonAsync($"/api/v1/threads/{thread}/comments", new { body = "Try VACUUM FREEZE <b>carefully</b>." }),
            HttpStatusCode.Created);

        var result = await Expect.Json(await admin.GetAsync("/api/v1/search?q=vacuum&mode=keyword"), HttpStatusCode.OK);
        var hits = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, hits.Count);
        Assert.Equal(strong, hits[0].GetProperty("id").GetString());
        Assert.Contains(weak, hits.Select(h => h.GetProperty("id").GetString()));
        var commentHit = hits.Single(h => h.GetProperty("kind").GetString() == "comment");
        Assert.Equal(comment.GetProperty("id").GetString(), commentHit.GetProperty("id").GetString());
        Assert.Equal(thread, commentHit.GetProperty("threadId").GetString());
        Assert.Equal("search-ops", commentHit.GetProperty("subcortex").GetString());
        var snippet = commentHit.GetProperty("snippetHtml").GetString()!;
        Assert.Contains("<mark>VACUUM</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("carefully", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", snippet, StringComparison.Ordinal);
        Assert.True(hits[0].GetProperty("rank").GetDouble() >= hits[1].GetProperty("rank").GetDouble());
    }

    [Fact]
    public async Task Web_search_syntax_works_and_pages_with_a_cursor()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "search-syntax");
        for (var i = 0; i < 3; i++)
        {
            await ThreadsTests.CreateThreadAsync(admin, "search-syntax", $"Kafka consumer lag {i}", "consumer lag grows under rebalancing");
        }

        await ThreadsTests.CreateThreadAsync(admin, "search-syntax", "Kafka producer", "producer retries without lag");
        var phrase = await Expect.Json(await admin.GetAsync("/api/v1/search?q=%22consumer%20lag%22%20-producer&limit=2"), HttpStatusCode.OK);
        Assert.Equal(2, phrase.GetProperty("items").GetArrayLength());
        var next = phrase.GetProperty("nextCursor").GetString();
        Assert.NotNull(next);
        var rest = await Expect.Json(await admin.GetAsync($"/api/v1/search?q=%22consumer%20lag%22%20-producer&limit=2&cursor={next}"), HttpStatusCode.OK);
        Assert.Equal(1, rest.GetProperty("items").GetArrayLength());
        var all = phrase.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray())
            .Select(h => h.GetProperty("title").GetString()).ToList();
        Assert.Equal(3, all.Distinct().Count());
        Assert.DoesNotContain("Kafka producer", all);
    }

    [Fact]
    public async Task Private_content_is_searched_only_for_members()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "search-private", isPrivate: true);
        await ThreadsTests.CreateThreadAsync(admin, "search-private", "Zanzibar acquisition", "Confidential zanzibar plans.");
        var outsider = await app.CreatePrincipalAsync("search-outsider", Role.Member);
        using var client = app.Client(outsider.Key);

        var outside = await Expect.Json(await client.GetAsync("/api/v1/search?q=zanzibar"), HttpStatusCode.OK);
        Assert.Equal(0, outside.GetProperty("items").GetArrayLength());
        var inside = await Expect.Json(await admin.GetAsync("/api/v1/search?q=zanzibar"), HttpStatusCode.OK);
        Assert.Equal(1, inside.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_subcortex_filter_follows_merges_and_archived_content_is_stale()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "search-old");
        await ThreadsTests.CreateSubcortexAsync(admin, "search-new");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "search-old", "Okapi migration notes", "The okapi service moved.");
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/subcortexes/search-old/merge", new { into = "search-new" }), HttpStatusCode.OK);

        var byOldSlug = await Expect.Json(await admin.GetAsync("/api/v1/search?q=okapi&subcortex=search-old"), HttpStatusCode.OK);
        var hit = Assert.Single(byOldSlug.GetProperty("items").EnumerateArray());
        Assert.Equal((thread, "search-new", false), (hit.GetProperty("id").GetString(), hit.GetProperty("subcortex").GetString(), hit.GetProperty("stale").GetBoolean()));

        await Expect.Status(await admin.PostAsync("/api/v1/subcortexes/search-new/archive", null), HttpStatusCode.OK);
        var archived = await Expect.Json(await admin.GetAsync("/api/v1/search?q=okapi&subcortex=search-new"), HttpStatusCode.OK);
        Assert.True(Assert.Single(archived.GetProperty("items").EnumerateArray()).GetProperty("stale").GetBoolean());
    }

    [Theory]
    [InlineData("/api/v1/search?q=x&mode=telepathy")]
    [InlineData("/api/v1/search?q=x&mode=hybrid&kind=task")]
    [InlineData("/api/v1/search?q=x&mode=semantic&cursor=bm90LWEtY3Vyc29y")]
    [InlineData("/api/v1/search")]
    [InlineData("/api/v1/search?q=%20")]
    public async Task Bad_search_requests_are_validation_problems(string url)
    {
        using var admin = app.AdminClient();
        var problem = await Expect.Problem(await admin.GetAsync(url), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any());
    }

    [Fact]
    public void Snippets_escape_everything_but_the_match_markers()
    {
        Assert.Equal(
            "&lt;script&gt;x&lt;/script&gt; <mark>vacuum</mark> &amp;",
            SearchService.SnippetHtml("<script>x</script> \uE000vacuum\uE001 &"));
    }
}
