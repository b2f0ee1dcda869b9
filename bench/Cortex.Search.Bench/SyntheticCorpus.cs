using Cortex.Embeddings;

namespace Cortex.Search.Bench;

/// <summary>
/// Seeded operations sentences ("The payment queue stalls when the disk fills up."), embedded once with the real
/// model. Items retell two of them; an item's vector is the normalized sum of theirs plus seeded noise, so 100k
/// realistic-looking vectors cost a few hundred real embeddings, not 100k.
/// </summary>
internal sealed class SyntheticCorpus
{
    private static readonly string[] Subjects =
    [
        "payment queue", "build server", "replica", "login page", "cache", "search index", "backup job", "load balancer",
        "TLS certificate", "message broker", "billing export", "deploy pipeline", "feature flag service", "DNS resolver",
        "object store", "metrics collector", "mail relay", "session store", "rate limiter", "audit log",
    ];

    private static readonly string[] Verbs =
    [
        "stalls", "crashes", "slows down", "returns errors", "runs out of memory", "drops connections", "times out",
        "falls behind", "restarts in a loop", "rejects requests",
    ];

    private static readonly string[] Causes =
    [
        "the disk fills up", "a long transaction holds a lock", "the certificate expires", "traffic doubles after a release",
        "a node loses its network", "the configuration is reloaded", "garbage collection pauses", "a retry storm starts",
        "the clock drifts", "an index is rebuilt",
    ];

    private SyntheticCorpus(List<string> sentences, List<float[]> vectors)
    {
        Sentences = sentences;
        Vectors = vectors;
    }

    public IReadOnlyList<string> Sentences { get; }

    public IReadOnlyList<float[]> Vectors { get; }

    public static SyntheticCorpus Create(ITextEmbedder embedder, int count, int seed)
    {
        var random = new Random(seed);
        var sentences = new HashSet<string>(StringComparer.Ordinal);
        while (sentences.Count < count)
        {
            sentences.Add($"The {Pick(random, Subjects)} {Pick(random, Verbs)} when {Pick(random, Causes)}.");
        }

        var list = sentences.ToList();
        return new SyntheticCorpus(list, [.. embedder.EmbedBatch(list)]);
    }

    /// <summary>The body and vector of synthetic item <paramref name="index"/>.</summary>
    public (string Body, float[] Vector) Item(int index, Random random)
    {
        var a = random.Next(Sentences.Count);
        var b = random.Next(Sentences.Count);
        var vector = new float[Vectors[a].Length];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = Vectors[a][i] + (0.5f * Vectors[b][i]) + (0.04f * (float)((random.NextDouble() * 2) - 1));
        }

        VectorMath.NormalizeInPlace(vector);
        return ($"Item {index}: {Sentences[a]} {Sentences[b]}", vector);
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
