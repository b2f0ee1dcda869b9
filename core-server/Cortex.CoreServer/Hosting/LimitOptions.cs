using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Hosting;

public sealed class LimitOptions
{
    public const string Section = "Cortex:Limits";

    /// <summary>Largest accepted request body; larger ones get a 413 problem before anything is written.</summary>
    [Range(1024, 1L << 30, ErrorMessage = "Cortex:Limits:MaxRequestBodyBytes must be between 1024 and 1073741824.")]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;
}
