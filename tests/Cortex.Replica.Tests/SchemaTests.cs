using System.Runtime.CompilerServices;

namespace Cortex.Replica.Tests;

/// <summary>
/// Pins the schema a fresh replica gets. Migration 1 renders the entity tables from <see cref="EntityTables"/>, so a
/// change there would silently change a shipped migration; this test makes it visible. Ship schema changes as a new
/// migration, then regenerate with CORTEX_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class SchemaTests : IDisposable
{
    private readonly TempReplica _replica = new(new ReplicaOptions());

    [Fact]
    public void A_fresh_replica_has_the_pinned_schema()
    {
        using var connection = _replica.Store.OpenReadConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name";
        using var reader = command.ExecuteReader();
        var statements = new List<string>();
        while (reader.Read())
        {
            statements.Add(reader.GetString(0) + ";");
        }

        var actual = string.Join("\n", statements) + "\n";
        var path = GoldenPath();
        if (Environment.GetEnvironmentVariable("CORTEX_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"{path} is missing; generate it with CORTEX_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    public void Dispose() => _replica.Dispose();

    private static string GoldenPath([CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "Golden", "schema.sql");
}
