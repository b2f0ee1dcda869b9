using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>Document frequencies: exact for rarer terms, estimated from the newest matches for common ones.</summary>
public sealed class TermStatisticsTests : IDisposable
{
    private const int Items = (2 * TermStatistics.ExactUpTo) + 1000;

    private readonly SqliteConnection _replica = SearchDatabase.Open(":memory:");

    public TermStatisticsTests()
    {
        var updated = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        using var transaction = _replica.BeginTransaction();
        for (var i = 0; i < Items; i++)
        {
            var body = "everywhere" + (i % 3 == 0 ? " third" : "") + (i % 2 == 0 ? " even" : "") + (i == 42 ? " Café au lait" : "");
            SearchIndex.Upsert(transaction, new SearchItem(
                "01JD" + i.ToString("D22", CultureInfo.InvariantCulture), SearchItemKind.Observation, "ops", $"Item {i}", body,
                TrustLevel.Observation, updated, Embedding: null));
        }

        transaction.Commit();
    }

    public void Dispose() => _replica.Dispose();

    [Fact]
    public void Terms_up_to_the_exact_limit_are_counted_exactly_and_commoner_ones_estimated_closely()
    {
        var (total, frequencies) = new TermStatistics().Lookup(_replica, ["third", "even", "everywhere", "nowhere"]);

        Assert.Equal(Items, total);
        Assert.Equal((Items + 2) / 3, frequencies["third"]);
        Assert.InRange(frequencies["even"], Items / 2 * 0.95, Items / 2 * 1.05);
        Assert.Equal(Items, frequencies["everywhere"]);
        Assert.Equal(0, frequencies["nowhere"]);
    }

    [Theory]
    [InlineData("café")]
    [InlineData("Cafe")]
    public void A_word_is_counted_the_way_fts5_folds_it(string query)
    {
        // fts5vocab holds the folded term ("cafe"): looking "café" up there found nothing and the word was never searched.
        var hits = new HybridSearch(null).Search(_replica, new SearchRequest(query, Mode: SearchMode.Keyword), null).Hits;

        Assert.Equal("01JD" + 42.ToString("D22", CultureInfo.InvariantCulture), Assert.Single(hits).Id);
    }
}
