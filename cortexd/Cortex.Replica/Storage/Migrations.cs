using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>Schema migrations, applied in order, each in its own transaction with its row in <c>schema_migrations</c>.
/// Append only: a shipped migration is never edited.</summary>
internal static class Migrations
{
    private static readonly (int Version, string Name, Func<string> Sql)[] All =
    [
        (1, "initial", Initial),
    ];

    public static int Latest => All[^1].Version;

    public static void Apply(ReplicaDb db)
    {
        db.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at_ms INTEGER NOT NULL)
            """);
        var current = db.Scalar<long?>("SELECT max(version) FROM schema_migrations") ?? 0;
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The replica {db.Path} has schema version {current}, newer than this cortexd knows ({Latest}); upgrade cortexd or delete the replica.");
        }

        foreach (var (version, name, sql) in All.Where(m => m.Version > current))
        {
            using var transaction = db.Begin();
            db.Execute(sql(), transaction);
            db.Execute("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($v, $n, $t)", transaction,
                ("$v", version), ("$n", name), ("$t", db.NowUnixMs));
            transaction.Commit();
        }
    }

    private static string Initial() =>
        $$"""
        CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            replica_id TEXT NOT NULL,
            server_url TEXT,
            principal_id TEXT,
            epoch INTEGER NOT NULL DEFAULT 0,
            cursor INTEGER NOT NULL DEFAULT 0,
            head INTEGER NOT NULL DEFAULT 0,
            lag_since_ms INTEGER,
            last_sync_at_ms INTEGER,
            bootstrap_sent INTEGER,
            bootstrap_total INTEGER,
            reset_count INTEGER NOT NULL DEFAULT 0);

        CREATE TABLE epoch_resets (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms INTEGER NOT NULL,
            from_epoch INTEGER NOT NULL,
            to_epoch INTEGER NOT NULL,
            reason TEXT NOT NULL);

        CREATE TABLE purge_fences (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            at_position INTEGER NOT NULL,
            PRIMARY KEY (kind, key));

        {{string.Join("\n", EntityTables.All.Select(t => t.CreateSql()))}}

        CREATE TABLE other_entities (
            entity TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            position INTEGER NOT NULL,
            subcortex_id TEXT,
            json TEXT NOT NULL,
            embedding BLOB,
            PRIMARY KEY (entity, id));
        CREATE INDEX other_entities_subcortex ON other_entities (subcortex_id);

        CREATE TABLE documents (
            document_id TEXT PRIMARY KEY,
            text TEXT,
            update_count INTEGER NOT NULL DEFAULT 0,
            updated_at_ms INTEGER NOT NULL);

        CREATE TABLE document_updates (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL,
            origin INTEGER NOT NULL,
            payload BLOB NOT NULL,
            at_ms INTEGER NOT NULL);
        CREATE INDEX document_updates_document ON document_updates (document_id, seq);

        CREATE TABLE outbox (
            client_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            target_entity TEXT,
            target_id TEXT,
            payload BLOB NOT NULL,
            base_version INTEGER,
            created_at_ms INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'accepted', 'draft', 'rejected')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at_ms INTEGER NOT NULL,
            sent_at_ms INTEGER,
            last_error TEXT,
            visible_at INTEGER,
            entity_id TEXT,
            draft_id TEXT,
            reason_code TEXT,
            reason_message TEXT,
            decided_at_ms INTEGER);
        CREATE INDEX outbox_state ON outbox (state, client_id);
        """;
}

internal static class SqliteReaderExtensions
{
    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
