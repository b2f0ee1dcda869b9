using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Database;

/// <summary>
/// Applies the embedded <c>Database/Migrations/NNNN_name.sql</c> scripts in version order, each in its own transaction,
/// recording each with the checksum of its script in <c>schema_migrations</c>. Every version the database lacks is
/// applied, also one numbered below versions already applied (branches merge migrations out of order). An applied
/// script that has since changed, or an applied version this binary does not know, stops the start before anything
/// runs. An advisory lock keeps concurrent servers from migrating together.
/// </summary>
internal sealed class Migrator(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<Migrator> logger)
{
    private const long AdvisoryLockKey = 0x636f72746578; // "cortex"

    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    int PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
                """,
                cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
                "SELECT version, name, checksum FROM schema_migrations ORDER BY version", cancellationToken: cancellationToken))).AsList();
            await CheckHistoryAsync(connection, applied, cancellationToken);

            var appliedVersions = applied.Select(a => a.Version).ToHashSet();
            var highestApplied = applied.Count == 0 ? 0 : applied[^1].Version;
            var count = 0;
            foreach (var migration in Migrations.Where(m => !appliedVersions.Contains(m.Version)))
            {
                if (migration.Version < highestApplied)
                {
                    Log.MigrationAppliedOutOfOrder(logger, migration.Version, migration.Name, highestApplied);
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)",
                    migration,
                    transaction,
                    cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, migration.Version, migration.Name);
                count++;
            }

            // Types loaded when this connection opened may predate the extensions (pgvector) a migration created,
            // here or in another instance that migrated first.
            await connection.ReloadTypesAsync(cancellationToken);
            return count;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>The SHA-256 of a script, with line endings normalized so that a checkout's newline style does not count as an edit.</summary>
    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    /// <summary>Refuses unknown or edited applied migrations; records checksums missing from rows older servers wrote.</summary>
    private async Task CheckHistoryAsync(NpgsqlConnection connection, List<AppliedMigration> applied, CancellationToken cancellationToken)
    {
        var known = Migrations.ToDictionary(m => m.Version);
        var unknown = applied.Where(a => !known.ContainsKey(a.Version)).ToList();
        if (unknown.Count > 0 && unknown[^1].Version > LatestVersion)
        {
            throw new SchemaTooNewException(unknown[^1].Version, LatestVersion);
        }

        if (unknown.Count > 0)
        {
            throw new MigrationMismatchException(
                $"The database has migration(s) {string.Join(", ", unknown.Select(u => $"{u.Version:D4}_{u.Name}"))} that this " +
                "cortex-server does not have; it was migrated by a different build; refusing to start. Run the build that " +
                "applied them, or restore a matching backup.");
        }

        var accepted = AcceptedEdits();
        var edited = new List<string>();
        foreach (var row in applied)
        {
            var migration = known[row.Version];
            if (row.Checksum == migration.Checksum)
            {
                continue;
            }

            if (row.Checksum is not null && !accepted.Contains(row.Version))
            {
                edited.Add($"{migration.Version:D4}_{migration.Name}");
                continue;
            }

            if (row.Checksum is not null)
            {
                Log.EditedMigrationAccepted(logger, migration.Version, migration.Name);
            }
        }

        if (edited.Count > 0)
        {
            throw new MigrationMismatchException(
                $"Migration(s) {string.Join(", ", edited)} changed after they were applied to this database (checksum " +
                "mismatch); refusing to start. Restore the original script and add a new migration for the change; if " +
                $"the edit is known to be harmless (a comment, formatting), start once with {DatabaseOptions.Section}:" +
                $"AcceptEditedMigrations={string.Join(',', edited.Select(e => int.Parse(e.AsSpan(0, 4), CultureInfo.InvariantCulture)))}.");
        }

        // Rows written before checksums existed (or accepted edits) take the current script's checksum.
        foreach (var row in applied.Where(a => a.Checksum != known[a.Version].Checksum))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE schema_migrations SET checksum = @checksum WHERE version = @version",
                new { checksum = known[row.Version].Checksum, version = row.Version },
                cancellationToken: cancellationToken));
        }
    }

    private HashSet<int> AcceptedEdits()
    {
        var versions = new HashSet<int>();
        foreach (var part in options.Value.AcceptEditedMigrations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new MigrationRefusedException(
                    $"{DatabaseOptions.Section}:AcceptEditedMigrations must list migration versions separated by commas; '{part}' is not one.");
            }

            versions.Add(version);
        }

        return versions;
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(Migrator).Assembly;
        const string marker = ".Database.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[(at + marker.Length)..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture);
            var sql = Read(assembly, resource);
            migrations.Add(new Migration(version, fileName[(underscore + 1)..], sql, Checksum(sql)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal sealed record Migration(int Version, string Name, string Sql, string Checksum);

    private sealed record AppliedMigration(int Version, string Name, string? Checksum);
}
