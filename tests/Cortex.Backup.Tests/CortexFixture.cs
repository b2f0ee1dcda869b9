using System.Security.Cryptography;
using System.Text;
using Cortex.ObjectStore;
using Cortex.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cortex.Backup.Tests;

/// <summary>
/// A migrated Cortex database (the server's migration scripts, in order, recorded in <c>schema_migrations</c> as
/// the server's migrator does), a file-system object store and a configuration directory in a temporary directory,
/// seeded with principals, a subcortex, threads, observations and attachments whose bytes are in the store.
/// </summary>
internal sealed class CortexFixture : IAsyncDisposable
{
    public const string Passphrase = "correct horse battery staple";
    public const string PassphraseVariable = "CORTEX_BACKUP_PASSPHRASE";
    public const string ThreadBody = "# Incident 42\n\nThe disk filled up; we restored from the nightly backup.";

    private const long StoreLimitBytes = 1024 * 1024;

    private CortexFixture(PostgresDatabase database, DirectoryInfo work, S3rverFixture? s3rver)
    {
        Database = database;
        Work = work;
        ObjectRoot = Path.Combine(work.FullName, "objects");
        ConfigDirectory = Path.Combine(work.FullName, "config");
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Cortex__Database__ConnectionString"] = database.ConnectionString,
            [PassphraseVariable] = Passphrase,
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "",
        };
        if (s3rver is null)
        {
            Store = new FileSystemObjectStore(ObjectRoot, StoreLimitBytes);
            Environment["Cortex__ObjectStore__Kind"] = "filesystem";
            Environment["Cortex__ObjectStore__Root"] = ObjectRoot;
            return;
        }

        // The server's MinIO setup (docker-compose.yml), with s3rver in MinIO's place; ObjectRoot is the upload spool.
        var options = s3rver.Options("cortex-backup-" + Guid.NewGuid().ToString("N")[..12], ObjectRoot);
        Store = new S3ObjectStore(options, StoreLimitBytes, NullLogger<S3ObjectStore>.Instance);
        Environment["Cortex__ObjectStore__Kind"] = "s3";
        Environment["Cortex__ObjectStore__S3__Endpoint"] = options.Endpoint!;
        Environment["Cortex__ObjectStore__S3__AccessKey"] = options.AccessKey!;
        Environment["Cortex__ObjectStore__S3__SecretKey"] = options.SecretKey!;
        Environment["Cortex__ObjectStore__S3__Bucket"] = options.Bucket!;
        Environment["Cortex__ObjectStore__S3__UseTls"] = "false";
        Environment["Cortex__ObjectStore__S3__SpoolDirectory"] = ObjectRoot;
    }

    public PostgresDatabase Database { get; }

    public DirectoryInfo Work { get; }

    public string ObjectRoot { get; }

    public string ConfigDirectory { get; }

    public IObjectStore Store { get; }

    public Dictionary<string, string> Environment { get; }

    /// <summary>The attachments' contents by sha256.</summary>
    public Dictionary<string, byte[]> Attachments { get; } = new(StringComparer.Ordinal);

    public string ArchivePath(string name) => Path.Combine(Work.FullName, name);

    /// <param name="database">The database to migrate and seed.</param>
    /// <param name="s3rver">An S3 server for the objects; a file-system store when null.</param>
    public static async Task<CortexFixture> CreateAsync(PostgresDatabase database, S3rverFixture? s3rver = null)
    {
        var fixture = new CortexFixture(database, Directory.CreateTempSubdirectory("cortex-backup-tests-"), s3rver);
        try
        {
            await using var connection = await database.OpenConnectionAsync();
            await MigrateAsync(connection);
            await fixture.SeedAsync(connection);
            Directory.CreateDirectory(Path.Combine(fixture.ConfigDirectory, "keys"));
            await File.WriteAllTextAsync(Path.Combine(fixture.ConfigDirectory, "keys", "server-signing.key"), "-----BEGIN KEY-----\nc2VjcmV0\n-----END KEY-----\n");
            await File.WriteAllTextAsync(Path.Combine(fixture.ConfigDirectory, "cortex.env"), "Cortex__Auth__CookieSecret=not-for-your-eyes\n");
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(Environment, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await BackupCli.RunAsync(args, environment, stdout, stderr, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Row counts of every table of the public schema.</summary>
    public async Task<SortedDictionary<string, long>> CountRowsAsync()
    {
        await using var connection = await Database.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");
        }

        return counts;
    }

    /// <summary>The drill's disaster: the tables, every object and the configuration are gone.</summary>
    public async Task DestroyAsync()
    {
        await using (var connection = await Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        }

        await foreach (var stored in Store.ListAsync())
        {
            await Store.DeleteAsync(stored.Key);
        }

        Directory.Delete(ConfigDirectory, recursive: true);
        Assert.Empty(await CountRowsAsync());
        Assert.Empty(await Store.ListAsync().ToListAsync());
    }

    /// <summary>Every seeded attachment's bytes are in the store under their key, unchanged.</summary>
    public async Task AssertAttachmentsIntactAsync()
    {
        foreach (var (sha256, bytes) in Attachments)
        {
            await using var stream = await Store.OpenReadAsync(ObjectKey.ForSha256(sha256));
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }
    }

    /// <summary>Every file under <paramref name="directory"/> by relative path, with its text.</summary>
    public static SortedDictionary<string, string> ReadTree(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText),
            StringComparer.Ordinal);

    public ValueTask DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        Work.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private static IReadOnlyList<string> Scripts { get; } = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Migrations"), "*.sql")
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The schema version of the newest migration, which a backup of the seeded database records.</summary>
    public static int LatestSchemaVersion => Scripts.Max(VersionOf);

    private static int VersionOf(string script)
    {
        var fileName = Path.GetFileName(script);
        return int.Parse(fileName[..fileName.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task MigrateAsync(NpgsqlConnection connection)
    {
        // Tests of one class share a database: each starts from an empty schema.
        await connection.ExecuteAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS vector;");
        await connection.ExecuteAsync(
            "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        Assert.NotEmpty(Scripts);
        foreach (var script in Scripts)
        {
            var fileName = Path.GetFileNameWithoutExtension(script);
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(await File.ReadAllTextAsync(script), transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)",
                new { version = int.Parse(fileName[..underscore], System.Globalization.CultureInfo.InvariantCulture), name = fileName[(underscore + 1)..] },
                transaction);
            await transaction.CommitAsync();
        }
    }

    private async Task SeedAsync(NpgsqlConnection connection)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO principals (id, handle, display_name, kind, role) VALUES
                ('01P0000000000000000000000A', 'ada', 'Ada', 'human', 'admin'),
                ('01P0000000000000000000000B', 'build-bot', 'Build bot', 'agent', 'agent');
            INSERT INTO subcortexes (id, slug, name, state, created_by) VALUES
                ('01S0000000000000000000000A', 'ops', 'Operations', 'active', '01P0000000000000000000000A');
            INSERT INTO subcortex_members (subcortex_id, principal_id) VALUES
                ('01S0000000000000000000000A', '01P0000000000000000000000A'),
                ('01S0000000000000000000000A', '01P0000000000000000000000B');
            INSERT INTO threads (id, subcortex_id, title, kind, body, body_html, author_id) VALUES
                ('01T0000000000000000000000A', '01S0000000000000000000000A', 'Disk full', 'incident', @body, '<p>Disk full</p>', '01P0000000000000000000000A'),
                ('01T0000000000000000000000B', '01S0000000000000000000000A', 'Backups', 'decision', 'Nightly, kept 30 days.', '<p>Nightly</p>', '01P0000000000000000000000A');
            INSERT INTO observations (id, subcortex_id, author_id, client_id, content_hash, kind, body, occurred_at, attachment_ids) VALUES
                ('01O0000000000000000000000A', '01S0000000000000000000000A', '01P0000000000000000000000B', 'c-1', '\x01', 'build', 'build 17 green', now(), '{01A0000000000000000000000A}'),
                ('01O0000000000000000000000B', '01S0000000000000000000000A', '01P0000000000000000000000B', 'c-2', '\x02', 'build', 'build 18 red', now(), '{}');
            """,
            new { body = ThreadBody });

        var contents = new (string Id, string OwnerKind, string OwnerId, byte[] Bytes)[]
        {
            ("01A0000000000000000000000A", "observation", "01O0000000000000000000000A", Encoding.UTF8.GetBytes("drill-attachment-payload: build log line 1\nline 2\n")),
            ("01A0000000000000000000000B", "thread", "01T0000000000000000000000A", RandomBytes(300_000)),
            ("01A0000000000000000000000C", "thread", "01T0000000000000000000000B", Encoding.UTF8.GetBytes("retention policy v3")),
        };
        foreach (var (id, ownerKind, ownerId, bytes) in contents)
        {
            var stored = await Store.PutContentAddressedAsync(new MemoryStream(bytes));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
            Attachments[stored.Sha256] = bytes;
            await connection.ExecuteAsync(
                """
                INSERT INTO attachments (id, object_key, sha256, size, content_type, file_name, uploaded_by, owner_kind, owner_id, subcortex_id)
                VALUES (@id, @key, @sha256, @size, 'application/octet-stream', @id || '.bin', '01P0000000000000000000000A', @ownerKind, @ownerId, '01S0000000000000000000000A')
                """,
                new { id, key = stored.Key, sha256 = stored.Sha256, size = (long)bytes.Length, ownerKind, ownerId });
        }
    }

    private static byte[] RandomBytes(int length)
    {
        // Deterministic "random" content: incompressible-looking, the same on every run.
        var bytes = new byte[length];
        new Random(20261127).NextBytes(bytes);
        return bytes;
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The error as the operator sees it: exactly one line.</summary>
    public string ErrorLine
    {
        get
        {
            var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            return lines[0];
        }
    }
}
