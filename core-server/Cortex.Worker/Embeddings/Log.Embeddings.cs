namespace Cortex.Worker.Embeddings;

internal static partial class Log
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Embedded {Embedded} of {Asked} {Entity} items (job {JobId}); the rest were current")]
    public static partial void ItemsEmbedded(this ILogger logger, int embedded, int asked, string entity, long jobId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information,
        Message = "Reindex {RunId} of subcortex {Subcortex} starting at phase {Phase}, cursor '{Cursor}' (attempt {Attempt})")]
    public static partial void ReindexStarted(this ILogger logger, string runId, string subcortex, string phase, string cursor, int attempt);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Reindex {RunId} finished")]
    public static partial void ReindexFinished(this ILogger logger, string runId);
}
