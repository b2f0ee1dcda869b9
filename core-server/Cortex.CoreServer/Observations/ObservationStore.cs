using System.Text.Json;
using Cortex.CoreServer.Content;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Observations;

/// <summary>SQL that reads observations (writes are <see cref="ObservationIngest"/>'s).</summary>
internal sealed class ObservationStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "o.id, o.client_id, o.subcortex_id, o.author_id, o.kind, o.source, o.body, o.attributes::text AS attributes_json, " +
        "o.occurred_at, o.attachment_ids, o.version, o.created_at";

    /// <summary>The observation with its subcortex's access facts for <paramref name="me"/>.</summary>
    public async Task<(Observation Observation, ContentAccess Access)?> FindAsync(
        string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row, ContentAccess, (Observation, ContentAccess)>(
            new CommandDefinition(
                $"SELECT {Columns}, {ContentAccess.Sql} FROM observations o JOIN subcortexes s ON s.id = o.subcortex_id WHERE o.id = @id",
                new { id, me },
                cancellationToken: cancellationToken),
            (row, access) => (row.ToObservation(), access),
            splitOn: "is_private");
        return rows.Select(row => ((Observation, ContentAccess)?)row).SingleOrDefault();
    }

    /// <summary>Reads inside the writing transaction, so a not yet committed observation is found.</summary>
    public static async Task<Observation> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken = default)
    {
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM observations o WHERE o.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row.ToObservation();
    }

    /// <summary>Those of <paramref name="ids"/> that exist, in one query (a sync feed page holds up to a thousand).</summary>
    public static async Task<List<Observation>> ReadManyAsync(
        NpgsqlConnection connection, string[] ids, CancellationToken cancellationToken = default)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM observations o WHERE o.id = ANY(@ids)", new { ids }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToObservation()).ToList();
    }

    /// <summary>Newest first.</summary>
    public async Task<List<Observation>> ListAsync(
        string subcortexId, string? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM observations o
            WHERE o.subcortex_id = @subcortexId AND (@beforeId::text IS NULL OR o.id < @beforeId)
            ORDER BY o.id DESC LIMIT @limit
            """,
            new { subcortexId, beforeId, limit },
            cancellationToken: cancellationToken));
        return rows.Select(row => row.ToObservation()).ToList();
    }

    private sealed record Row
    {
        public required string Id { get; init; }
        public required string ClientId { get; init; }
        public required string SubcortexId { get; init; }
        public required string AuthorId { get; init; }
        public required string Kind { get; init; }
        public string? Source { get; init; }
        public required string Body { get; init; }
        public required string AttributesJson { get; init; }
        public required DateTimeOffset OccurredAt { get; init; }
        public required string[] AttachmentIds { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public Observation ToObservation()
        {
            using var attributes = JsonDocument.Parse(AttributesJson);
            return new Observation
            {
                Id = Id,
                ClientId = ClientId,
                SubcortexId = SubcortexId,
                AuthorId = AuthorId,
                Kind = Kind,
                Source = Source,
                Text = Body,
                Attributes = attributes.RootElement.Clone(),
                OccurredAt = OccurredAt,
                AttachmentIds = AttachmentIds,
                Version = Version,
                CreatedAt = CreatedAt,
            };
        }
    }
}
