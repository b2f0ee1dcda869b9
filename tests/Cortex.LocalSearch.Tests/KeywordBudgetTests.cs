using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>
/// The keyword budget (issue 5: common terms made FTS5 score most of the replica, the p95 tail): units beyond it are
/// dropped when rarer ones are searched, and a query of common units only is scored on its newest matches. A
/// generated replica of 400 items and a budget of 50 stand in for 100,000 items and 1,000.
/// </summary>
public sealed class KeywordBudgetTests : IDisposable
{
    private const int Items = 400;
    private const int Budget = 50;
    private const int RareItem = 7;

    private static readonly DateTimeOffset Oldest = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _replica = SearchDatabase.Open(":memory:");
    private readonly HybridSearch _search = new(null, HybridSearchOptions.Default with
    {
        KeywordBudget = Budget,
        TimeProvider = new FixedTimeProvider(Oldest.AddDays(30)),
    });

    public KeywordBudgetTests()
    {
        // Every item mentions cortex-api, a quarter also worker-pool, a tenth are in "ops"; one old item holds a rare code.
        var random = new Random(20261127);
        string[] fillers = ["retries", "timeouts", "backlog", "latency", "rollback", "quota", "certificates", "heartbeat"];
        using var transaction = _replica.BeginTransaction();
        for (var i = 0; i < Items; i++)
        {
            var words = string.Join(' ', Enumerable.Range(0, 3 + random.Next(6)).Select(_ => fillers[random.Next(fillers.Length)]));
            var body = $"cortex-api {words}{(i % 4 == 0 ? " on worker-pool" : "")}{(i == RareItem ? " failed with CORTEX-E4242" : "")}.";
            SearchIndex.Upsert(transaction, new SearchItem(
                IdOf(i), SearchItemKind.Thread, i % 10 == 0 ? "ops" : "sync", $"Note {i}", body, TrustLevel.Reviewed,
                Oldest.AddMinutes(i), RandomVector(random)));
        }

        transaction.Commit();
    }

    public void Dispose() => _replica.Dispose();

    [Fact]
    public void A_rare_identifier_among_common_ones_is_searched_alone_and_its_item_ranks_first()
    {
        var response = _search.Search(
            _replica, new SearchRequest("CORTEX-E4242 on cortex-api worker-pool"), RandomVector(new Random(1)));

        Assert.Equal("\"cortex e4242\"", response.Profile.MatchExpression);
        Assert.Equal(IdOf(RareItem), response.Hits[0].Id);
        Assert.True(response.Profile.IdentifierMatched);
    }

    [Fact]
    public void A_query_of_common_units_only_still_returns_ranked_hits_holding_all_of_them_first()
    {
        var hits = _search.Search(_replica, new SearchRequest("cortex-api worker-pool", Limit: 20, Mode: SearchMode.Keyword), null).Hits;

        Assert.Equal(20, hits.Count);
        Assert.Equal(Enumerable.Range(1, 20), hits.Select(h => h.Scores.KeywordRank ?? 0));
        Assert.All(hits.Zip(hits.Skip(1)), pair => Assert.True(pair.First.Scores.Keyword >= pair.Second.Scores.Keyword));
        Assert.All(hits, h => Assert.Equal(0, NumberOf(h.Id) % 4));
    }

    [Fact]
    public void A_query_of_common_units_only_is_scored_on_its_newest_matches()
    {
        var hits = _search.Search(_replica, new SearchRequest("cortex-api", Limit: 100, Mode: SearchMode.Keyword), null).Hits;

        // A quarter of the budget, but never fewer than the hits asked for.
        Assert.Equal(100, hits.Count);
        Assert.All(hits, h => Assert.InRange(NumberOf(h.Id), Items - 100, Items - 1));
    }

    [Theory]
    [InlineData(SearchMode.Keyword)]
    [InlineData(SearchMode.Hybrid)]
    public void Filters_apply_before_the_budget_picks_the_newest_matches(SearchMode mode)
    {
        var filter = new SearchFilter(Subcortexes: ["ops"], UpdatedTo: Oldest.AddMinutes(Items - 101));

        var hits = _search.Search(_replica, new SearchRequest("cortex-api", filter, Limit: 100, Mode: mode), null).Hits;

        // 30 items are in ops and old enough: all are scored, though none is among the 100 newest matches.
        Assert.Equal(30, hits.Count);
        Assert.All(hits, h =>
        {
            Assert.Equal("ops", h.Subcortex);
            Assert.True(h.Updated <= Oldest.AddMinutes(Items - 101));
        });
    }

    [Fact]
    public void A_keyword_budget_below_two_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new HybridSearch(null, HybridSearchOptions.Default with { KeywordBudget = 1 }));
    }

    private static string IdOf(int i) => "01JD" + i.ToString("D22", CultureInfo.InvariantCulture);

    private static int NumberOf(string id) => int.Parse(id[4..], CultureInfo.InvariantCulture);

    private static float[] RandomVector(Random random)
    {
        var vector = new float[384];
        for (var d = 0; d < vector.Length; d++)
        {
            vector[d] = (float)(random.NextDouble() - 0.5);
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return [.. vector.Select(x => x / norm)];
    }
}
