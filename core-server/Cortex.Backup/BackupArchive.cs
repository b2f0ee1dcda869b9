using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Cortex.ObjectStore;
using Dapper;

namespace Cortex.Backup;

/// <summary>The result of a restore.</summary>
public sealed record RestoreResult(int SchemaVersion, int Objects, int SecretFiles);

/// <summary>
/// One tar archive (PAX): <c>database.dump</c> (pg_dump custom format), <c>secrets.enc</c>, <c>objects/&lt;key&gt;</c>
/// for every object, and last <c>manifest.json</c> with every other entry's sha256 and size. Everything streams
/// through temporary files; no object is held whole in memory.
/// </summary>
public static class BackupArchive
{
    private const int ChunkSize = 128 * 1024;
    private const long MaxManifestBytes = 256L * 1024 * 1024;
    private const long MaxSecretsBytes = 80L * 1024 * 1024;

    public static async Task<Manifest> CreateAsync(
        BackupEnvironment backup, IReadOnlyDictionary<string, string> environment, string output, string? configDirectory,
        string passphrase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var work = Directory.CreateTempSubdirectory("cortex-backup-");
        var partial = output + ".partial";
        try
        {
            int schemaVersion;
            await using (var connection = await backup.OpenConnectionAsync(cancellationToken))
            {
                schemaVersion = await SchemaVersionAsync(connection, cancellationToken);
            }

            // The dump first, the objects after: objects are content-addressed and only added, so every object the
            // dump references is in the archive.
            var dump = Path.Combine(work.FullName, Manifest.DatabaseEntry);
            await PgTools.DumpAsync(environment, backup.ConnectionString, dump, cancellationToken);
            var secrets = SecretsBox.Seal(configDirectory, passphrase);

            var entries = new List<ManifestEntry>();
            Manifest manifest;
            var archive = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, ChunkSize, FileOptions.Asynchronous);
            await using (archive)
            {
                await using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
                {
                    entries.Add(await WriteFileAsync(writer, Manifest.DatabaseEntry, dump, cancellationToken));
                    entries.Add(await WriteBytesAsync(writer, Manifest.SecretsEntry, secrets, cancellationToken));
                    var spool = Path.Combine(work.FullName, "object");
                    await foreach (var info in backup.ObjectStore.ListAsync("", cancellationToken))
                    {
                        await using (var source = await backup.ObjectStore.OpenReadAsync(info.Key, cancellationToken))
                        await using (var target = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, ChunkSize, FileOptions.Asynchronous))
                        {
                            await source.CopyToAsync(target, ChunkSize, cancellationToken);
                        }

                        entries.Add(await WriteFileAsync(writer, Manifest.ObjectsPrefix + info.Key, spool, cancellationToken));
                    }

                    manifest = new Manifest(Manifest.CurrentFormatVersion, DateTimeOffset.UtcNow, schemaVersion, entries);
                    await WriteBytesAsync(writer, Manifest.EntryName, manifest.ToUtf8(), cancellationToken);
                }

                // The writer has added the end-of-archive blocks; only a complete archive gets the final name.
                await archive.FlushAsync(cancellationToken);
                archive.Flush(flushToDisk: true);
            }

            File.Move(partial, output, overwrite: true);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            work.Delete(recursive: true);
        }
    }

    public static async Task<RestoreResult> RestoreAsync(
        BackupEnvironment backup, IReadOnlyDictionary<string, string> environment, string input, string? configDirectory,
        string passphrase, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);

        // Everything that can refuse does so before anything is touched: checksums, passphrase, target.
        var (manifest, sealedSecrets) = await CheckAsync(input, cancellationToken);
        var secrets = SecretsBox.Open(sealedSecrets, passphrase);
        await using (var connection = await backup.OpenConnectionAsync(cancellationToken))
        {
            var tables = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
                cancellationToken: cancellationToken));
            if (tables > 0 && !force)
            {
                throw new BackupException(ExitCodes.TargetNotEmpty,
                    $"the target database '{connection.Database}' has {tables} tables; restore into an empty database or pass --force to replace them");
            }
        }

        var work = Directory.CreateTempSubdirectory("cortex-restore-");
        try
        {
            var dump = Path.Combine(work.FullName, Manifest.DatabaseEntry);
            var objects = 0;
            await using (var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous))
            await using (var reader = new TarReader(file))
            {
                while (await ReadEntryAsync(reader, cancellationToken) is { } entry)
                {
                    if (entry.Name == Manifest.DatabaseEntry && entry.DataStream is { } data)
                    {
                        await using var target = new FileStream(dump, FileMode.Create, FileAccess.Write, FileShare.None, ChunkSize, FileOptions.Asynchronous);
                        await data.CopyToAsync(target, ChunkSize, cancellationToken);
                    }
                    else if (entry.Name.StartsWith(Manifest.ObjectsPrefix, StringComparison.Ordinal))
                    {
                        var key = entry.Name[Manifest.ObjectsPrefix.Length..];
                        await backup.ObjectStore.PutAsync(key, entry.DataStream ?? Stream.Null, cancellationToken: cancellationToken);
                        objects++;
                    }
                }
            }

            await PgTools.RestoreAsync(environment, backup.ConnectionString, dump, cancellationToken);
            var secretFiles = configDirectory is null
                ? CountFiles(secrets)
                : await SecretsBox.UnpackAsync(secrets, configDirectory, cancellationToken);
            return new RestoreResult(manifest.SchemaVersion, objects, secretFiles);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Reads the whole archive once, hashing every entry, and checks it against the manifest; returns the manifest
    /// and the sealed secrets.
    /// </summary>
    public static async Task<(Manifest Manifest, byte[] SealedSecrets)> CheckAsync(string input, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        byte[]? manifestBytes = null;
        byte[]? secrets = null;
        await using (var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous))
        await using (var reader = new TarReader(file))
        {
            while (await ReadEntryAsync(reader, cancellationToken) is { } entry)
            {
                var data = entry.DataStream ?? Stream.Null;
                if (entry.Name == Manifest.EntryName)
                {
                    manifestBytes = await ReadSmallAsync(data, MaxManifestBytes, cancellationToken);
                    continue;
                }

                if (entry.Name == Manifest.SecretsEntry)
                {
                    secrets = await ReadSmallAsync(data, MaxSecretsBytes, cancellationToken);
                    found[entry.Name] = new ManifestEntry(entry.Name, Convert.ToHexStringLower(SHA256.HashData(secrets)), secrets.Length);
                    continue;
                }

                if (!found.TryAdd(entry.Name, await HashAsync(entry.Name, data, cancellationToken)))
                {
                    throw Corrupt(input, $"entry {entry.Name} appears twice");
                }
            }
        }

        if (manifestBytes is null)
        {
            throw Corrupt(input, "it has no manifest.json (incomplete archive?)");
        }

        var manifest = Manifest.Parse(manifestBytes);
        if (manifest.FormatVersion != Manifest.CurrentFormatVersion)
        {
            throw Corrupt(input, $"format version {manifest.FormatVersion} is not supported (expected {Manifest.CurrentFormatVersion})");
        }

        foreach (var expected in manifest.Entries)
        {
            if (!found.Remove(expected.Name, out var actual))
            {
                throw Corrupt(input, $"entry {expected.Name} is missing");
            }

            if (actual.Sha256 != expected.Sha256 || actual.Size != expected.Size)
            {
                throw Corrupt(input, $"entry {expected.Name} has sha256 {actual.Sha256} ({actual.Size} bytes), the manifest says {expected.Sha256} ({expected.Size} bytes)");
            }

            if (expected.Name.StartsWith(Manifest.ObjectsPrefix, StringComparison.Ordinal)
                && !ObjectKey.IsValid(expected.Name[Manifest.ObjectsPrefix.Length..]))
            {
                throw Corrupt(input, $"entry {expected.Name} is not a valid object key");
            }
        }

        if (found.Count > 0)
        {
            throw Corrupt(input, $"entry {found.Keys.First()} is not in the manifest");
        }

        if (secrets is null || !manifest.Entries.Any(e => e.Name == Manifest.DatabaseEntry))
        {
            throw Corrupt(input, "it lacks database.dump or secrets.enc");
        }

        return (manifest, secrets);
    }

    private static async Task<int> SchemaVersionAsync(Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: cancellationToken));
        return exists
            ? await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT max(version) FROM schema_migrations", cancellationToken: cancellationToken)) ?? 0
            : 0;
    }

    private static async Task<TarEntry?> ReadEntryAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            throw new BackupException(ExitCodes.CorruptArchive, $"the archive is corrupt: {e.Message}", e);
        }
    }

    private static async Task<ManifestEntry> WriteFileAsync(TarWriter writer, string name, string path, CancellationToken cancellationToken)
    {
        ManifestEntry described;
        await using (var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            described = await HashAsync(name, read, cancellationToken);
            read.Position = 0;
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = read };
            await writer.WriteEntryAsync(entry, cancellationToken);
        }

        return described;
    }

    private static async Task<ManifestEntry> WriteBytesAsync(TarWriter writer, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(bytes, writable: false);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data };
        await writer.WriteEntryAsync(entry, cancellationToken);
        return new ManifestEntry(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    private static async Task<ManifestEntry> HashAsync(string name, Stream data, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long size = 0;
        try
        {
            int read;
            while ((read = await data.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }
        }
        catch (EndOfStreamException e)
        {
            throw new BackupException(ExitCodes.CorruptArchive, $"the archive is truncated inside entry {name}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ManifestEntry(name, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static async Task<byte[]> ReadSmallAsync(Stream data, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await data.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new BackupException(ExitCodes.CorruptArchive, $"an archive entry is larger than {limit} bytes");
            }
        }

        return buffer.ToArray();
    }

    private static int CountFiles(byte[] tar)
    {
        using var stream = new MemoryStream(tar, writable: false);
        using var reader = new TarReader(stream);
        var count = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                count++;
            }
        }

        return count;
    }

    private static BackupException Corrupt(string input, string problem) =>
        new(ExitCodes.CorruptArchive, $"archive {input} is corrupt, nothing was restored: {problem}");
}
