using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Attachments;

public sealed class AttachmentOptions
{
    public const string Section = "Cortex:Attachments";

    /// <summary>The largest attachment; a larger upload is refused with 413 while it streams and nothing is kept.</summary>
    [Range(1, 5L << 30, ErrorMessage = "Cortex:Attachments:MaxBytes must be between 1 and 5368709120.")]
    public long MaxBytes { get; set; } = 2L << 30;
}
