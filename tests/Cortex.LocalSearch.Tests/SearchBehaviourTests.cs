using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>The relevance rules of issue 5 on the seeded corpus, with the real model, SQLite and sqlite-vec.</summary>
public sealed class SearchBehaviourTests : IDisposable
{
    private readonly SqliteConnection _replica = SeededCorpus.OpenReplica();
    private readonly HybridSearch _search = SeededCorpus.CreateSearch();

    public void Dispose() => _replica.Dispose();

    [Theory]
    [InlineData("rotate an API key", "rotate-canon", "rotate-dup")]
    [InlineData("replica bootstraps again after the epoch is bumped", "epoch-canon", "epoch-dup")]
    [InlineData("does canon rank before observations", "trust-canon", "trust-dup")]
    public void The_canon_answer_ranks_first_over_a_near_duplicate_observation(string query, string canon, string duplicate)
    {
        var keys = Keys(_search.Search(_replica, new SearchRequest(query)));

        Assert.Equal(canon, keys[0]);
        Assert.Contains(duplicate, keys);
    }

    [Fact]
    public void Trust_does_not_bury_a_clearly_better_observation()
    {
        var keys = Keys(_search.Search(_replica, new SearchRequest("the nightly backup job took much longer than last week")));

        Assert.Equal("backup-slow", keys[0]);
        Assert.Contains("restore-canon", keys);
    }

    [Fact]
    public void A_contradicted_item_ranks_below_the_canon_it_contradicts()
    {
        var keys = Keys(_search.Search(_replica, new SearchRequest("rotate an API key")));

        Assert.True(keys.IndexOf("contradiction") > keys.IndexOf("rotate-canon"));
    }

    [Theory]
    [InlineData("production database password hunter2", SearchMode.Hybrid)]
    [InlineData("production database password hunter2", SearchMode.Keyword)]
    [InlineData("production database password hunter2", SearchMode.Semantic)]
    [InlineData("Postgres backup restore password", SearchMode.Hybrid)]
    public void Quarantined_items_never_appear(string query, SearchMode mode)
    {
        var response = _search.Search(_replica, new SearchRequest(query, Limit: 100, Mode: mode));

        Assert.NotEmpty(response.Hits);
        Assert.DoesNotContain(SeededCorpus.IdOf("quarantined"), response.Hits.Select(h => h.Id));
    }

    [Fact]
    public void A_word_only_the_quarantined_item_contains_finds_nothing_by_keyword()
    {
        var response = _search.Search(_replica, new SearchRequest("hunter2", Mode: SearchMode.Keyword));

        Assert.Empty(response.Hits);
    }

    [Fact]
    public void The_subcortex_filter_keeps_only_that_subcortex()
    {
        var filter = new SearchFilter(Subcortexes: ["security"]);

        var hits = _search.Search(_replica, new SearchRequest("runbook for a leaked credential", filter, Limit: 100)).Hits;

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal("security", h.Subcortex));
        Assert.Equal("leak-canon", SeededCorpus.KeyOf(hits[0].Id));
    }

    [Fact]
    public void The_kind_filter_keeps_only_those_kinds()
    {
        var filter = new SearchFilter(Kinds: [SearchItemKind.Observation, SearchItemKind.Comment]);

        var hits = _search.Search(_replica, new SearchRequest("restore Postgres from a backup", filter, Limit: 100)).Hits;

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Contains(h.Kind, new[] { SearchItemKind.Observation, SearchItemKind.Comment }));
        Assert.Equal("restore-dup", SeededCorpus.KeyOf(hits[0].Id));
    }

    [Fact]
    public void The_trust_filter_keeps_only_those_trust_levels()
    {
        var filter = new SearchFilter(TrustLevels: [TrustLevel.Canon]);

        var hits = _search.Search(_replica, new SearchRequest("how do we handle API keys", filter, Limit: 100)).Hits;

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(TrustLevel.Canon, h.Trust));
        Assert.Equal("rotate-canon", SeededCorpus.KeyOf(hits[0].Id));
    }

    [Fact]
    public void The_time_range_filter_bounds_the_updated_time()
    {
        var from = SeededCorpus.Now.AddDays(-7);
        var to = SeededCorpus.Now.AddDays(-2);
        var filter = new SearchFilter(UpdatedFrom: from, UpdatedTo: to);

        var hits = _search.Search(_replica, new SearchRequest("replica epoch reset", filter, Limit: 100)).Hits;

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.InRange(h.Updated, from, to));
        Assert.Equal("epoch-dup", SeededCorpus.KeyOf(hits[0].Id));
    }

    [Fact]
    public void Filters_combine()
    {
        var filter = new SearchFilter(Subcortexes: ["sync", "ops"], Kinds: [SearchItemKind.Thread], TrustLevels: [TrustLevel.Reviewed]);

        var hits = _search.Search(_replica, new SearchRequest("sync writer database is locked", filter, Limit: 100)).Hits;

        Assert.NotEmpty(hits);
        Assert.All(hits, h =>
        {
            Assert.Contains(h.Subcortex, new[] { "sync", "ops" });
            Assert.Equal(SearchItemKind.Thread, h.Kind);
            Assert.Equal(TrustLevel.Reviewed, h.Trust);
        });
        Assert.Equal("sqlite-busy", SeededCorpus.KeyOf(hits[0].Id));
    }

    [Fact]
    public void A_pending_local_write_is_found_and_marked_pending()
    {
        var hit = _search.Search(_replica, new SearchRequest("when does the staging TLS certificate run out")).Hits[0];

        Assert.Equal("pending-note", SeededCorpus.KeyOf(hit.Id));
        Assert.True(hit.Pending);
    }

    [Fact]
    public void A_pending_write_without_a_vector_is_found_by_its_words()
    {
        var hit = _search.Search(_replica, new SearchRequest("ZX-77 appliance")).Hits[0];

        Assert.Equal("pending-draft", SeededCorpus.KeyOf(hit.Id));
        Assert.True(hit.Pending);
        Assert.Null(hit.Scores.Vector);
    }

    [Theory]
    [InlineData("SQLITE_BUSY", "sqlite-busy")]
    [InlineData("CORTEX-E1042", "e1042-thread")]
    [InlineData("--skip-epoch-check", "skip-epoch")]
    [InlineData("Sync__MaxBatchSize", "batch-size")]
    public void An_identifier_query_finds_the_exact_item_first(string query, string expected)
    {
        var response = _search.Search(_replica, new SearchRequest(query));

        Assert.Equal(expected, SeededCorpus.KeyOf(response.Hits[0].Id));
        Assert.True(response.Profile.IdentifierMatched);
        Assert.True(response.Profile.KeywordWeight >= 0.5, $"keyword weight {response.Profile.KeywordWeight}");
    }

    [Fact]
    public void A_paraphrase_finds_the_item_that_keyword_search_misses()
    {
        const string Query = "the local database keeps saying it is locked while syncing";

        var keyword = Keys(_search.Search(_replica, new SearchRequest(Query, Mode: SearchMode.Keyword)));
        var hybrid = _search.Search(_replica, new SearchRequest(Query));

        Assert.DoesNotContain("sqlite-busy", keyword);
        Assert.Equal("sqlite-busy", SeededCorpus.KeyOf(hybrid.Hits[0].Id));
        Assert.True(hybrid.Profile.KeywordWeight < 0.2, $"keyword weight {hybrid.Profile.KeywordWeight}");
    }

    [Fact]
    public void Snippets_highlight_the_matched_words()
    {
        var hit = _search.Search(_replica, new SearchRequest("SQLITE_BUSY")).Hits[0];

        Assert.Contains("**SQLITE_BUSY**", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hit_found_only_by_its_vector_has_a_snippet_with_the_query_words_marked()
    {
        var hit = _search.Search(_replica, new SearchRequest("my copy was wiped and rebuilt from scratch after the server told it to", Mode: SearchMode.Semantic)).Hits[0];

        Assert.Equal("epoch-canon", SeededCorpus.KeyOf(hit.Id));
        Assert.StartsWith("When the **server** bumps", hit.Snippet, StringComparison.Ordinal);
        Assert.Null(hit.Scores.KeywordRank);
    }

    [Fact]
    public void Hits_carry_what_a_citation_needs()
    {
        var hit = _search.Search(_replica, new SearchRequest("CORTEX-E1042 unlock migrations", Limit: 2)).Hits[1];
        var comment = SeededCorpus.All.Single(x => x.Key == "e1042-comment").Item;

        Assert.Equal(comment.Id, hit.Id);
        Assert.Equal(SearchItemKind.Comment, hit.Kind);
        Assert.Equal(comment.Title, hit.Title);
        Assert.Equal("ops", hit.Subcortex);
        Assert.Equal(TrustLevel.Comment, hit.Trust);
        Assert.Equal(comment.Updated, hit.Updated);
        Assert.Equal(SeededCorpus.IdOf("e1042-thread"), hit.ParentId);
        Assert.False(hit.Pending);
    }

    [Fact]
    public void A_stale_item_ranks_below_a_current_one_saying_the_same()
    {
        using var replica = SearchDatabase.Open(":memory:");
        var source = SeededCorpus.All.Single(x => x.Key == "sqlite-busy").Item;
        using (var transaction = replica.BeginTransaction())
        {
            SearchIndex.Upsert(transaction, source with { Id = "01JD00000000000000000000A1", ReviewDue = SeededCorpus.Now.AddDays(-1) });
            SearchIndex.Upsert(transaction, source with { Id = "01JD00000000000000000000A2", Updated = source.Updated.AddDays(-30) });
            transaction.Commit();
        }

        var hits = _search.Search(replica, new SearchRequest("SQLITE_BUSY during bootstrap")).Hits;

        Assert.Equal(["01JD00000000000000000000A2", "01JD00000000000000000000A1"], hits.Select(h => h.Id));
        Assert.True(hits[1].Stale);
        Assert.False(hits[0].Stale);
    }

    [Theory]
    [InlineData(VectorPath.InMemoryBits)]
    [InlineData(VectorPath.SqliteVecBits)]
    public void The_fast_vector_path_equals_exact_knn_when_candidates_cover_the_replica(VectorPath path)
    {
        var search = new HybridSearch(null, HybridSearchOptions.Default with { VectorPath = path, VectorCandidates = 50 });
        var query = Cortex.Embeddings.MiniLmEmbedder.Shared.Embed("database locked during sync");

        var fast = search.NearestByVector(_replica, query, 10);
        var exact = HybridSearch.ExactNearestByVector(_replica, query, 10);

        Assert.Equal(exact, fast);
    }

    [Theory]
    [InlineData(VectorPath.InMemoryBits)]
    [InlineData(VectorPath.SqliteVecBits)]
    public void Both_vector_paths_apply_the_filters(VectorPath path)
    {
        var search = new HybridSearch(null, HybridSearchOptions.Default with { VectorPath = path, VectorCandidates = 5 });
        var query = Cortex.Embeddings.MiniLmEmbedder.Shared.Embed("database locked during sync");
        var filter = new SearchFilter(Subcortexes: ["web"], Kinds: [SearchItemKind.Thread, SearchItemKind.Comment], UpdatedTo: SeededCorpus.Now.AddDays(-11));

        var ids = search.NearestByVector(_replica, query, 5, filter);

        var expected = SeededCorpus.All
            .Where(x => x.Key is "caret" or "queue-dup" or "shortcuts")
            .Select(x => x.Item.Id)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, ids.Order(StringComparer.Ordinal));
    }

    private static List<string> Keys(SearchResponse response) => response.Hits.Select(h => SeededCorpus.KeyOf(h.Id)).ToList();
}
