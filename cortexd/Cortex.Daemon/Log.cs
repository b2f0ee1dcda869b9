using Microsoft.Extensions.Logging;

namespace Cortex.Daemon;

/// <summary>All log messages of cortexd. Event ids: 1xx connection, 2xx pulls, 3xx uploads, 4xx local API.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Connected to {Server} as {PrincipalId}; head {Head}, cursor {Cursor}")]
    public static partial void Connected(ILogger logger, Uri server, string principalId, long head, long cursor);

    [LoggerMessage(102, LogLevel.Warning, "Sync connection failed ({Error}); retrying in {Delay}")]
    public static partial void ConnectionFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(103, LogLevel.Error, "The server refused this client: {Message}")]
    public static partial void Refused(ILogger logger, string message);

    [LoggerMessage(104, LogLevel.Warning, "Epoch reset to {Epoch}: {Reason}; re-bootstrapping")]
    public static partial void EpochReset(ILogger logger, long epoch, string reason);

    [LoggerMessage(105, LogLevel.Error, "Reset loop suspected: {Count} resets recently; pausing resets")]
    public static partial void ResetLoop(ILogger logger, int count);

    [LoggerMessage(201, LogLevel.Information, "Bootstrap: {Sent} of about {Total} positions")]
    public static partial void BootstrapProgress(ILogger logger, long sent, long total);

    [LoggerMessage(203, LogLevel.Debug, "Following the live change stream from position {Cursor}")]
    public static partial void LiveOpened(ILogger logger, long cursor);

    [LoggerMessage(204, LogLevel.Warning, "The live change stream failed ({Error}); pulling on pushes until it reopens")]
    public static partial void LiveFailed(ILogger logger, string error);

    [LoggerMessage(202, LogLevel.Information, "Purged {Items} item(s): {Reason}")]
    public static partial void Purged(ILogger logger, int items, string? reason);

    [LoggerMessage(301, LogLevel.Information, "Uploaded {Count} write(s): {Accepted} accepted, {Rejected} rejected")]
    public static partial void Uploaded(ILogger logger, int count, int accepted, int rejected);

    [LoggerMessage(401, LogLevel.Information, "Local API listening on 127.0.0.1:{Port} for {Workspace}")]
    public static partial void LocalApiListening(ILogger logger, int port, string workspace);
}
