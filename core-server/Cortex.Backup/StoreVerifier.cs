using System.Buffers;
using System.Security.Cryptography;
using Cortex.ObjectStore;
using Dapper;

namespace Cortex.Backup;

/// <summary>What <c>verify</c> found.</summary>
public sealed record VerifyReport(int Referenced, int Missing, int Corrupt, IReadOnlyList<string> Problems, IReadOnlyList<string> Orphans);

/// <summary>
/// Checks that the database and the object store agree: every object an attachment row references exists and
/// re-hashes (streamed) to the row's sha256 and size; objects no row references are orphans (reported, not an error).
/// </summary>
public static class StoreVerifier
{
    private const int ChunkSize = 128 * 1024;

    private sealed record Reference(string ObjectKey, string Sha256, long Size);

    public static async Task<VerifyReport> VerifyAsync(BackupEnvironment backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        List<Reference> references;
        await using (var connection = await backup.OpenConnectionAsync(cancellationToken))
        {
            var hasTable = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT to_regclass('attachments') IS NOT NULL", cancellationToken: cancellationToken));
            if (!hasTable)
            {
                throw new BackupException(ExitCodes.ExternalFailure,
                    $"database '{connection.Database}' has no attachments table; is it a migrated Cortex database?");
            }

            references = (await connection.QueryAsync<Reference>(new CommandDefinition(
                "SELECT DISTINCT object_key AS ObjectKey, sha256 AS Sha256, size AS Size FROM attachments ORDER BY 1",
                cancellationToken: cancellationToken))).AsList();
        }

        var problems = new List<string>();
        int missing = 0, corrupt = 0;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            referenced.Add(reference.ObjectKey);
            if (!ObjectKey.IsValid(reference.ObjectKey))
            {
                problems.Add($"CORRUPT {reference.ObjectKey}: the database holds an invalid object key");
                corrupt++;
                continue;
            }

            if (ObjectKey.TryGetSha256(reference.ObjectKey) is { } keyHash && keyHash != reference.Sha256)
            {
                problems.Add($"CORRUPT {reference.ObjectKey}: the key names sha256 {keyHash} but the row says {reference.Sha256}");
                corrupt++;
                continue;
            }

            Stream stream;
            try
            {
                stream = await backup.ObjectStore.OpenReadAsync(reference.ObjectKey, cancellationToken);
            }
            catch (ObjectNotFoundException)
            {
                problems.Add($"MISSING {reference.ObjectKey}");
                missing++;
                continue;
            }

            var (sha256, size) = await HashAsync(stream, cancellationToken);
            if (sha256 != reference.Sha256 || size != reference.Size)
            {
                problems.Add($"CORRUPT {reference.ObjectKey}: expected sha256 {reference.Sha256} ({reference.Size} bytes), found {sha256} ({size} bytes)");
                corrupt++;
            }
        }

        var orphans = new List<string>();
        await foreach (var info in backup.ObjectStore.ListAsync("", cancellationToken))
        {
            if (!referenced.Contains(info.Key))
            {
                orphans.Add(info.Key);
            }
        }

        return new VerifyReport(referenced.Count, missing, corrupt, problems, orphans);
    }

    private static async Task<(string Sha256, long Size)> HashAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            long size = 0;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
    }
}
