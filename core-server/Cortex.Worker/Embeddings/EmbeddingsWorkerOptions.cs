using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Cortex.Worker.Embeddings;

/// <summary>Settings under <c>Cortex:Worker:Embeddings</c>.</summary>
public sealed partial class EmbeddingsWorkerOptions
{
    public const string SectionName = "Cortex:Worker:Embeddings";

    /// <summary>How long a write waits for a lock (a reindex, a table lock) before the attempt fails and is retried.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Items per committed reindex chunk; progress and the resume point move once per chunk.</summary>
    public int ReindexChunkSize { get; set; } = 256;

    /// <summary>
    /// maintenance_work_mem for rebuilding the HNSW index. With Postgres' 64MB default a 100k × 384 build spills and
    /// takes minutes; 100k vectors need ~200MB, so 1GB covers ~500k before the build slows down.
    /// </summary>
    public string HnswMaintenanceWorkMem { get; set; } = "1GB";

    [GeneratedRegex("^[0-9]{1,7}(kB|MB|GB)$")]
    internal static partial Regex MemoryPattern();
}

internal sealed class EmbeddingsWorkerOptionsValidator : IValidateOptions<EmbeddingsWorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingsWorkerOptions options)
    {
        var failures = new List<string>();
        if (options.LockTimeout < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{EmbeddingsWorkerOptions.SectionName}:LockTimeout must be at least 00:00:00.010.");
        }

        if (options.ReindexChunkSize is < 1 or > 10_000)
        {
            failures.Add($"{EmbeddingsWorkerOptions.SectionName}:ReindexChunkSize must be between 1 and 10000.");
        }

        if (!EmbeddingsWorkerOptions.MemoryPattern().IsMatch(options.HnswMaintenanceWorkMem))
        {
            failures.Add($"{EmbeddingsWorkerOptions.SectionName}:HnswMaintenanceWorkMem must look like 512MB or 1GB.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
