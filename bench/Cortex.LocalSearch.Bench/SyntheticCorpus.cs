using System.Globalization;
using Cortex.Embeddings;

namespace Cortex.LocalSearch.Bench;

/// <summary>
/// A realistic-enough replica: a few thousand operations sentences from templates, embedded once with the
/// real model, and 100,000 items that each retell one of them (plus a second sentence and an identifier),
/// with a vector derived from the real embeddings plus seeded noise. Everything is seeded and reproducible.
/// </summary>
internal sealed class SyntheticCorpus
{
    public static readonly string[] Subcortexes =
    [
        "ops", "sync", "search", "security", "web", "billing", "infra", "mobile", "data", "platform",
        "release", "support", "docs", "perf", "storage", "identity", "observability", "ml", "edge", "qa",
    ];

    private static readonly string[] Components =
    [
        "the sync writer", "the replica", "the outbox", "the change feed", "the search index", "cortex-api", "cortex-worker",
        "the MinIO bucket", "the Postgres primary", "the Redis backplane", "the web editor", "the review queue",
        "the secret scanner", "the MCP server", "the embedding worker", "the backup job", "the restore drill",
        "the rate limiter", "the SignalR hub", "the auth middleware", "the digest mailer", "the reindex job",
        "the attachment uploader", "the audit log writer", "the task scheduler", "the notification fan-out",
        "the load balancer", "the CDN cache", "the metrics exporter", "the CI runner",
    ];

    private static readonly string[] Events =
    [
        "failed with {code}", "timed out after {n} seconds", "restarted {n} times in an hour", "used {n}% CPU for an hour",
        "fell {n} positions behind", "rejected {n} writes", "leaked memory until it was killed", "returned stale results",
        "logged {code} during start-up", "blocked readers for {n} ms", "dropped connections every {n} minutes",
        "filled its disk to {n}%", "ran out of file handles", "deadlocked with the migrator", "served expired tokens",
        "duplicated {n} rows", "skipped a batch of changes", "stopped sending heartbeats", "crashed on a malformed payload",
        "doubled its p95 latency to {n} ms",
    ];

    private static readonly string[] Contexts =
    [
        "during the nightly backup", "after the {v} upgrade", "while a bulk import ran", "on the staging cluster",
        "when the network dropped", "under load from {n} agents", "after a key rotation", "when a subcortex was merged",
        "right after a deploy", "during the failover drill", "when the certificate expired", "while reindexing",
        "on a replica that had been offline for {n} days", "in the eu-west region", "with {flag} enabled",
    ];

    private static readonly string[] Fixes =
    [
        "Raising {key} fixed it.", "We rolled back to {v}.", "Restarting the pod cleared it.",
        "Adding an index on the updated column fixed it.", "It recovered on its own.", "Retrying with backoff solved it.",
        "Disabling {flag} made it go away.", "The root cause was a missing timeout.", "We filed a task to add an alert.",
        "The fix is to run the unlock command first.", "Scaling to {n} instances helped.", "Nobody knows why yet.",
        "Vacuuming the database reclaimed the space.", "A config typo in {key} was the cause.", "It was a clock skew of {n} seconds.",
    ];

    private static readonly string[] FlagWords = ["skip", "force", "dry", "run", "no", "verify", "fast", "safe", "legacy", "epoch", "check", "cache", "lock", "retry"];

    private static readonly string[] KeyWords = ["Max", "Batch", "Size", "Timeout", "Seconds", "Pool", "Retry", "Window", "Limit", "Depth", "Queue", "Lag"];

    private readonly Random _random;

    public SyntheticCorpus(int seed, int baseSentences, ITextEmbedder embedder)
    {
        _random = new Random(seed);
        Sentences = [.. Enumerable.Range(0, baseSentences).Select(_ => Sentence())];
        Vectors = LoadOrEmbed(seed, embedder);
    }

    public IReadOnlyList<string> Sentences { get; }

    public IReadOnlyList<float[]> Vectors { get; }

    /// <summary>Identifiers that occur in items, for identifier queries.</summary>
    public List<string> UsedIdentifiers { get; } = [];

    public IEnumerable<SearchItem> Items(int count, DateTimeOffset now)
    {
        var kinds = Enum.GetValues<SearchItemKind>();
        var trusts = new[] { TrustLevel.Canon, TrustLevel.Accepted, TrustLevel.Reviewed, TrustLevel.Reviewed, TrustLevel.Comment, TrustLevel.Comment, TrustLevel.Observation, TrustLevel.Observation, TrustLevel.Observation };
        for (var i = 0; i < count; i++)
        {
            var primary = _random.Next(Sentences.Count);
            var secondary = _random.Next(Sentences.Count);
            var identifier = Identifier();
            if (i % 50 == 0)
            {
                UsedIdentifiers.Add(identifier);
            }

            var sentence = Sentences[primary];
            var cut = sentence.IndexOf(' ', Math.Min(sentence.Length - 1, 40));
            var title = (cut < 0 ? sentence : sentence[..cut]).TrimEnd('.', ',');
            var body = $"{sentence} {Sentences[secondary]} See {identifier} for details.";
            var vector = Derive(Vectors[primary], Vectors[secondary]);
            yield return new SearchItem(
                Ulid(i), kinds[_random.Next(kinds.Length)], Subcortexes[_random.Next(Subcortexes.Length)], title, body,
                trusts[_random.Next(trusts.Length)], now.AddMinutes(-_random.Next(0, 60 * 24 * 365)), vector,
                Stale: _random.Next(20) == 0, Quarantined: _random.Next(200) == 0, Contradiction: _random.Next(100) == 0,
                Pending: _random.Next(500) == 0);
        }
    }

    /// <summary>
    /// Embedding the base sentences is most of the set-up time on a busy machine, so their vectors are kept in a
    /// cache file keyed by seed and count; a cache whose size does not match is ignored.
    /// </summary>
    private IReadOnlyList<float[]> LoadOrEmbed(int seed, ITextEmbedder embedder)
    {
        var cache = Path.Combine(Path.GetTempPath(), $"cortex-localsearch-bench-sentences-{seed}-{Sentences.Count}.f32");
        var length = Sentences.Count * embedder.Dimensions * sizeof(float);
        if (File.Exists(cache) && new FileInfo(cache).Length == length)
        {
            var bytes = File.ReadAllBytes(cache);
            return [.. Enumerable.Range(0, Sentences.Count).Select(i => VectorBlob.FromBlob(bytes[(i * embedder.Dimensions * sizeof(float))..((i + 1) * embedder.Dimensions * sizeof(float))]))];
        }

        var vectors = embedder.EmbedBatch(Sentences);
        using (var file = File.Create(cache))
        {
            foreach (var vector in vectors)
            {
                file.Write(VectorBlob.ToBlob(vector));
            }
        }

        return vectors;
    }

    /// <summary>A new sentence from the same templates, not one of the base sentences: a query.</summary>
    public string Sentence() =>
        Capitalize($"{Pick(Components)} {Fill(Pick(Events))} {Fill(Pick(Contexts))}. {Fill(Pick(Fixes))}");

    public T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    public int Next(int max) => _random.Next(max);

    private float[] Derive(float[] primary, float[] secondary)
    {
        var vector = new float[primary.Length];
        for (var d = 0; d < vector.Length; d++)
        {
            vector[d] = primary[d] + (0.3f * secondary[d]) + (0.02f * Gaussian());
        }

        VectorMath.NormalizeInPlace(vector);
        return vector;
    }

    private float Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private string Fill(string template) => template
        .Replace("{code}", Code(), StringComparison.Ordinal)
        .Replace("{n}", _random.Next(2, 500).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{v}", $"{_random.Next(1, 4)}.{_random.Next(0, 12)}", StringComparison.Ordinal)
        .Replace("{flag}", Flag(), StringComparison.Ordinal)
        .Replace("{key}", Key(), StringComparison.Ordinal);

    private string Identifier() => _random.Next(3) switch
    {
        0 => Code(),
        1 => Flag(),
        _ => Key(),
    };

    private string Code() => "CORTEX-E" + _random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture);

    private string Flag() => $"--{Pick(FlagWords)}-{Pick(FlagWords)}-{_random.Next(10, 100)}";

    private string Key() => $"Sync__{Pick(KeyWords)}{Pick(KeyWords)}{_random.Next(1, 100)}";

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Ulid(int i) => "01JD" + i.ToString("D22", CultureInfo.InvariantCulture);
}
