using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>
/// Looks up parents' titles (a comment's thread, a version's artifact) in the replica's transaction, with one prepared
/// statement per parent table for the whole batch instead of one compiled per item.
/// </summary>
internal sealed class ParentTitles(SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The title of row <paramref name="id"/> of <paramref name="table"/> (<c>threads</c> or <c>artifacts</c>).</summary>
    public string? Of(string table, string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (!_commands.TryGetValue(table, out var command))
        {
            command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT title FROM {table} WHERE id = $id";
            command.Parameters.Add(new SqliteParameter("$id", id));
            command.Prepare();
            _commands[table] = command;
        }

        command.Parameters["$id"].Value = id;
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
