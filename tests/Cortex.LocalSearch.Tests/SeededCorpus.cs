using System.Globalization;
using System.Text.Json;
using Cortex.Embeddings;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>The hand-written corpus in Data/corpus.json, embedded once per test run with the real model.</summary>
internal static class SeededCorpus
{
    /// <summary>"Now" for every search in the tests, so recency is deterministic.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<IReadOnlyList<(string Key, SearchItem Item)>> Items = new(Load);

    public static IReadOnlyList<(string Key, SearchItem Item)> All => Items.Value;

    public static string IdOf(string key) => All.Single(x => x.Key == key).Item.Id;

    public static string KeyOf(string id) => All.Single(x => x.Item.Id == id).Key;

    /// <summary>A fresh in-memory replica holding the whole corpus.</summary>
    public static SqliteConnection OpenReplica()
    {
        var connection = SearchDatabase.Open(":memory:", sqliteVecIndex: true);
        using var transaction = connection.BeginTransaction();
        foreach (var (_, item) in All)
        {
            SearchIndex.Upsert(transaction, item);
        }

        transaction.Commit();
        return connection;
    }

    public static HybridSearch CreateSearch() =>
        new(MiniLmEmbedder.Shared, HybridSearchOptions.Default with { TimeProvider = new FixedTimeProvider(Now) });

    /// <summary>The text the server's worker embeds for an item.</summary>
    public static string EmbeddingText(string title, string body) => title + "\n\n" + body;

    private static List<(string, SearchItem)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "corpus.json");
        var records = JsonSerializer.Deserialize<List<CorpusRecord>>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException("corpus.json is empty.");
        var vectors = MiniLmEmbedder.Shared.EmbedBatch([.. records.Select(r => EmbeddingText(r.Title, r.Body))]);
        var ids = records.Select((r, i) => (r.Key, Id: "01JD0000000000000000" + (i + 1).ToString("D6", CultureInfo.InvariantCulture)))
            .ToDictionary(x => x.Key, x => x.Id);
        return [.. records.Select((r, i) => (r.Key, new SearchItem(
            ids[r.Key],
            SearchText.ParseKind(r.Kind),
            r.Subcortex,
            r.Title,
            r.Body,
            SearchText.ParseTrust(r.Trust),
            Now.AddDays(-r.DaysAgo),
            r.NoVector ? null : vectors[i],
            ParentId: r.Parent is null ? null : ids[r.Parent],
            Stale: r.Stale,
            Quarantined: r.Quarantined,
            Contradiction: r.Contradiction,
            Pending: r.Pending)))];
    }

    private sealed record CorpusRecord(
        string Key, string Kind, string Subcortex, string Trust, int DaysAgo, string Title, string Body,
        string? Parent, bool Stale, bool Quarantined, bool Contradiction, bool Pending, bool NoVector);
}

internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
