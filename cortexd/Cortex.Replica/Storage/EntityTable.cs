namespace Cortex.Replica;

/// <summary>A typed column filled from the entity's JSON payload (camelCase, as the REST API renders it).</summary>
public sealed record TypedColumn(string Name, string JsonPath, bool Indexed = false);

/// <summary>
/// The table holding one synced entity: common columns (id, version, feed position, visibility scope, full JSON,
/// embedding) plus typed columns for what reads filter and sort on. Typed columns are extracted by SQLite's
/// <c>json_extract</c>, so the replica needs no C# type per entity and a new payload field costs nothing.
/// </summary>
public sealed record EntityTable(string Entity, string Table, bool Searchable, IReadOnlyList<TypedColumn> Columns)
{
    internal string CreateSql()
    {
        var typed = string.Concat(Columns.Select(c => $",\n    {c.Name}"));
        var indexes = string.Concat(Columns.Where(c => c.Indexed).Select(c => $"\nCREATE INDEX {Table}_{c.Name} ON {Table} ({c.Name});"));
        return $"""
            CREATE TABLE {Table} (
                id TEXT PRIMARY KEY,
                version INTEGER NOT NULL,
                position INTEGER NOT NULL,
                subcortex_id TEXT,
                json TEXT NOT NULL,
                embedding BLOB{typed});
            CREATE INDEX {Table}_subcortex ON {Table} (subcortex_id);{indexes}
            """;
    }

    internal string UpsertSql()
    {
        var names = string.Concat(Columns.Select(c => ", " + c.Name));
        var values = string.Concat(Columns.Select(c => $", json_extract($json, '{c.JsonPath}')"));
        var updates = string.Concat(Columns.Select(c => $", {c.Name} = excluded.{c.Name}"));
        return $"""
            INSERT INTO {Table} (id, version, position, subcortex_id, json, embedding{names})
            VALUES ($id, $version, $position, $subcortex, $json, $embedding{values})
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, position = excluded.position,
                subcortex_id = excluded.subcortex_id, json = excluded.json, embedding = excluded.embedding{updates}
            """;
    }
}
