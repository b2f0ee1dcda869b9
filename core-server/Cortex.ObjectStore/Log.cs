using Microsoft.Extensions.Logging;

namespace Cortex.ObjectStore;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created the S3 bucket {Bucket}")]
    public static partial void BucketCreated(this ILogger logger, string bucket);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Closing the download of {Key} failed")]
    public static partial void DownloadCloseFailed(this ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Object store: {Kind} ({Location})")]
    public static partial void StoreSelected(this ILogger logger, string kind, string location);
}
