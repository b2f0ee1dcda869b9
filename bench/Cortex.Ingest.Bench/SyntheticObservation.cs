using System.Globalization;

namespace Cortex.Ingest.Bench;

/// <summary>Short, realistic observation rows (CI results), the same for both paths apart from their client ids.</summary>
internal sealed record SyntheticObservation(string ClientId, string Kind, string Source, string Text, string AttributesJson, DateTimeOffset OccurredAt)
{
    private static readonly string[] Kinds = ["test.passed", "test.failed", "build.finished", "deploy.finished", "alert.fired"];

    public static List<SyntheticObservation> Generate(string prefix, int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = new List<SyntheticObservation>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            var duration = random.Next(5, 90_000);
            rows.Add(new SyntheticObservation(
                $"{prefix}-{i}",
                kind,
                $"ci/runner-{random.Next(16)}",
                string.Create(CultureInfo.InvariantCulture, $"{kind} for job {i} on shard {random.Next(64)} after {duration} ms"),
                string.Create(CultureInfo.InvariantCulture, $$"""{"job":{{i}},"durationMs":{{duration}},"retry":{{(random.Next(10) == 0 ? "true" : "false")}}}"""),
                start.AddSeconds(i)));
        }

        return rows;
    }
}
