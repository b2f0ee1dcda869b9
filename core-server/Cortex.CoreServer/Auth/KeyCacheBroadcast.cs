using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Auth;

/// <summary>
/// Tells every server instance sharing the database to drop its cached keys. The NOTIFY is sent inside the writing
/// transaction, so Postgres delivers it only when (and only if) the change commits; <see cref="KeyCacheListener"/>
/// receives it on each instance, this one included.
/// </summary>
internal static class KeyCacheBroadcast
{
    public const string Channel = "cortex_key_cache";

    public static Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"SELECT pg_notify('{Channel}', '')", transaction: transaction, cancellationToken: cancellationToken));
}
