using Dapper;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>Who may be notified about an item in a subcortex: enabled principals who can read it.</summary>
public sealed class Recipients(NpgsqlDataSource dataSource)
{
    private const string CanRead = """
        NOT p.disabled
        AND (p.role = 'admin' OR NOT s.is_private
             OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = p.id))
        """;

    /// <summary>The ids of the mentioned handles that exist and can read the item; unknown handles are ignored.</summary>
    public async Task<IReadOnlyList<string>> MentionedAsync(
        IReadOnlyList<string> handles, string subcortexId, string? exceptId, CancellationToken cancellationToken = default)
    {
        if (handles.Count == 0)
        {
            return [];
        }

        return await QueryAsync(
            $"""
            SELECT p.id FROM principals p JOIN subcortexes s ON s.id = @subcortexId
            WHERE p.handle = ANY(@handles) AND p.id IS DISTINCT FROM @exceptId AND {CanRead}
            ORDER BY p.id
            """,
            new { handles = handles.ToArray(), subcortexId, exceptId },
            cancellationToken);
    }

    /// <summary>Reviewers and admins who can read the subcortex, except the author (who never reviews their own draft).</summary>
    public async Task<IReadOnlyList<string>> ReviewersAsync(string subcortexId, string authorId, CancellationToken cancellationToken = default) =>
        await QueryAsync(
            $"""
            SELECT p.id FROM principals p JOIN subcortexes s ON s.id = @subcortexId
            WHERE p.role IN ('admin', 'reviewer') AND p.id <> @authorId AND {CanRead}
            ORDER BY p.id
            """,
            new { subcortexId, authorId },
            cancellationToken);

    /// <summary>Whether <paramref name="principalId"/> can (still) read the subcortex.</summary>
    public async Task<bool> CanReadAsync(string principalId, string subcortexId, CancellationToken cancellationToken = default) =>
        (await QueryAsync(
            $"SELECT p.id FROM principals p JOIN subcortexes s ON s.id = @subcortexId WHERE p.id = @principalId AND {CanRead}",
            new { principalId, subcortexId },
            cancellationToken)).Count == 1;

    private async Task<IReadOnlyList<string>> QueryAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, args, cancellationToken: cancellationToken))).AsList();
    }
}
