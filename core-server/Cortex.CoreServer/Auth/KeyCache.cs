using System.Collections.Concurrent;
using Cortex.SharedModel.Principals;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Auth;

/// <summary>
/// A short-lived in-memory cache of key prefix → key and principal, so authentication costs no query on the hot path.
/// Any change to keys or principals calls <see cref="Invalidate"/> after its commit, so revocation takes effect at once
/// on this instance; the generation counter stops a lookup that raced with the change from re-inserting a stale entry.
/// Other instances see the change within <see cref="AuthOptions.KeyCacheSeconds"/>.
/// </summary>
internal sealed class KeyCache(NpgsqlDataSource dataSource, TimeProvider time, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
    private long _generation;

    public async ValueTask<CachedKey?> GetAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(prefix, out var entry) && time.GetElapsedTime(entry.LoadedAt) < _ttl)
        {
            return entry.Key;
        }

        var generation = Interlocked.Read(ref _generation);
        var key = await LoadAsync(prefix, cancellationToken);
        if (key is not null && _ttl > TimeSpan.Zero)
        {
            _entries[prefix] = new Entry(key, time.GetTimestamp());
            if (Interlocked.Read(ref _generation) != generation)
            {
                _entries.TryRemove(prefix, out _);
            }
        }

        return key;
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private async Task<CachedKey?> LoadAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow, Principal, CachedKey>(
            new CommandDefinition(
                """
                SELECT k.id AS key_id, k.secret_hash, k.expires_at, k.revoked_at,
                       p.id, p.handle, p.display_name, p.kind, p.role, p.disabled, p.version, p.created_at, p.updated_at
                FROM api_keys k JOIN principals p ON p.id = k.principal_id
                WHERE k.prefix = @prefix
                """,
                new { prefix },
                cancellationToken: cancellationToken),
            (key, principal) => new CachedKey(key.KeyId, key.SecretHash, key.ExpiresAt, key.RevokedAt, principal),
            splitOn: "id");
        return rows.SingleOrDefault();
    }

    private sealed record Entry(CachedKey Key, long LoadedAt);

    private sealed record KeyRow
    {
        public required string KeyId { get; init; }
        public required byte[] SecretHash { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }
}
