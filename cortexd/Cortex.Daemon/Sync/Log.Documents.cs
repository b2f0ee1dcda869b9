using Microsoft.Extensions.Logging;

namespace Cortex.Daemon;

/// <summary>Document sync messages (event ids 5xx).</summary>
internal static partial class Log
{
    [LoggerMessage(501, LogLevel.Warning, "Document {DocumentId}: the server refused a local edit ({Reason}); discarding the local copy and fetching it again")]
    public static partial void DocumentEditRefused(ILogger logger, string documentId, string reason);

    [LoggerMessage(502, LogLevel.Warning, "Document {DocumentId} could not be synced: {Error}")]
    public static partial void DocumentSyncFailed(ILogger logger, string documentId, string error);

    [LoggerMessage(503, LogLevel.Information, "Document {DocumentId} is no longer readable ({Reason}); dropped from the replica")]
    public static partial void DocumentDropped(ILogger logger, string documentId, string reason);
}
