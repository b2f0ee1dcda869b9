using System.Text.Json;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.Jobs;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Cortex.CoreServer.Observations;

/// <summary>
/// Writes observations in bursts: every item is validated first; the valid ones are written with one binary COPY
/// straight into <c>observations</c>. When an item's client id is already taken (a replay, a conflict) that COPY is
/// undone and the items go through a staging table and one <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>, keyed by
/// (author, clientId), so a replayed item writes nothing. Their change-feed rows, their embedding job and attachment
/// links go into the same transaction; the full-text vector comes later (<see cref="ObservationSearchIndexer"/>).
/// Malformed or refused items are answered one by one and never stop the others.
/// </summary>
internal sealed class ObservationIngest(
    SubcortexStore subcortexes, ContentSecrets secrets, ObservationSearchIndexer searchIndexer, TimeProvider time)
{
    public const int MaxBatchItems = 5_000;
    public const string EmbedJobKind = "search.embed";

    private const string ClientIdConstraint = "observations_client_id_key";

    /// <summary>Validates and writes <paramref name="items"/>; the caller commits the session.</summary>
    public async Task<List<ItemOutcome>> IngestAsync(
        WriteSession session, Principal me, IReadOnlyList<JsonElement> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcomes = new List<ItemOutcome>(items.Count);
        var errors = new List<ItemError>();
        foreach (var item in items)
        {
            var input = ObservationInput.Parse(item, now, errors);
            // The server's own secret scan (defence in depth): an item holding a secret is refused on its own.
            var secretsFound = input is null ? null : secrets.Find(("text", input.Text), ("source", input.Source), ("attributes", input.AttributesJson));
            outcomes.Add(input is null
                ? ItemOutcome.Refused(ProblemKind.Validation, ClientIdOf(item), [.. errors])
                : secretsFound is not null
                    ? ItemOutcome.Refused(ContentSecrets.SecretDetected, input.ClientId, [.. secretsFound.SelectMany(e => e.Value.Select(m => new ItemError(e.Key, m)))])
                    : new ItemOutcome { Input = input, ClientId = input.ClientId });
            errors.Clear();
        }

        await CheckSubcortexesAsync(me, outcomes, cancellationToken);
        var pending = outcomes.Where(o => o.Status is null).ToList();
        if (pending.Count == 0)
        {
            return outcomes;
        }

        await session.BeginAsync(cancellationToken);
        await CheckAttachmentsAsync(session, me, pending, cancellationToken);
        pending = DeduplicateWithinBatch(pending.Where(o => o.Status is null));
        if (pending.Count == 0)
        {
            return outcomes;
        }

        foreach (var outcome in pending)
        {
            outcome.Id = CortexId.New(now);
            outcome.Hash = outcome.Input!.ContentHash();
        }

        var created = await TryCopyAsync(session, me.Id, pending, cancellationToken);
        if (created is null)
        {
            await CopyToStagingAsync(session, pending, cancellationToken);
            created = await InsertAsync(session, me.Id, cancellationToken);
        }

        await ResolveReplaysAsync(session, me.Id, pending, created, cancellationToken);
        var fresh = pending.Where(o => o.Status == ItemOutcome.Created).ToList();
        if (fresh.Count > 0)
        {
            foreach (var outcome in fresh)
            {
                session.Record(new PendingChange(
                    EntityNames.Observation, outcome.Id!, ChangeOperation.Created, 1, SubcortexId: outcome.SubcortexId));
            }

            // One job per write, naming its observations: the embedder works in batches anyway, and a job row per
            // observation cost more than the observation itself (measured with bench/Cortex.Ingest.Bench).
            await JobQueue.EnqueueAsync(
                session.Transaction,
                EnqueueRequest.Create(EmbedJobKind, new EmbedPayload(EntityNames.Observation, [.. fresh.Select(o => o.Id!)]))
                    with { DedupKey = $"{EntityNames.Observation}:{fresh[0].Id}" },
                cancellationToken);
            await LinkAttachmentsAsync(session, me.Id, fresh, cancellationToken);
            session.AfterCommit(searchIndexer.Wake);
        }

        return outcomes;
    }

    private async Task CheckSubcortexesAsync(Principal me, List<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        var verdicts = new Dictionary<string, Verdict>(StringComparer.Ordinal);
        foreach (var outcome in outcomes.Where(o => o.Status is null))
        {
            var slug = outcome.Input!.Subcortex;
            if (!verdicts.TryGetValue(slug, out var verdict))
            {
                verdict = Judge(me, slug, await subcortexes.FindBySlugAsync(slug, me.Id, cancellationToken));
                verdicts[slug] = verdict;
            }

            if (verdict.Problem is { } problem)
            {
                outcome.Refuse(problem, [new ItemError("subcortex", verdict.Message!)]);
            }
            else
            {
                outcome.SubcortexId = verdict.SubcortexId;
            }
        }
    }

    private static Verdict Judge(Principal me, string slug, (SharedModel.Content.Subcortex Subcortex, ContentAccess Access)? found)
    {
        if (found is not var (subcortex, access))
        {
            return new Verdict(null, ProblemKind.NotFound, $"The subcortex '{slug}' was not found.");
        }

        var resource = access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy);
        if (!Permissions.May(me, CortexAction.ReadContent, resource) || !Permissions.May(me, CortexAction.CreateObservation, resource))
        {
            return new Verdict(null, ProblemKind.Forbidden, $"You may not record observations in the subcortex '{slug}'.");
        }

        return access.AcceptsContent
            ? new Verdict(subcortex.Id, null, null)
            : new Verdict(
                null,
                ProblemKind.Conflict,
                $"The subcortex '{slug}' is {subcortex.State.ToString().ToLowerInvariant()} and takes no new observations.");
    }

    /// <summary>Linked attachments must exist and be the caller's own uploads or readable through their owner.</summary>
    private static async Task CheckAttachmentsAsync(
        WriteSession session, Principal me, List<ItemOutcome> pending, CancellationToken cancellationToken)
    {
        var ids = pending.SelectMany(o => o.Input!.AttachmentIds).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var rows = await session.Connection.QueryAsync<AttachmentAccessRow>(new CommandDefinition(
            """
            SELECT a.id, a.uploaded_by, a.subcortex_id, coalesce(s.is_private, false) AS is_private,
                   EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = a.subcortex_id AND m.principal_id = @me) AS asker_is_member
            FROM attachments a LEFT JOIN subcortexes s ON s.id = a.subcortex_id
            WHERE a.id = ANY(@ids)
            """,
            new { ids, me = me.Id },
            session.Transaction,
            cancellationToken: cancellationToken));
        var usable = rows.Where(row => row.UploadedBy == me.Id
                || (row.SubcortexId is not null && Permissions.May(
                    me, CortexAction.ReadContent, Resource.Content(ResourceKind.Attachment, row.UploadedBy, row.IsPrivate, row.AskerIsMember))))
            .Select(row => row.Id)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var outcome in pending)
        {
            var missing = outcome.Input!.AttachmentIds
                .Select((id, index) => (id, index))
                .Where(pair => !usable.Contains(pair.id))
                .Select(pair => new ItemError($"attachmentIds[{pair.index}]", $"The attachment '{pair.id}' was not found."))
                .ToList();
            if (missing.Count > 0)
            {
                outcome.Refuse(ProblemKind.NotFound, missing);
            }
        }
    }

    /// <summary>The first item of a client id in a batch is written; later ones are replays of it or conflicts.</summary>
    private static List<ItemOutcome> DeduplicateWithinBatch(IEnumerable<ItemOutcome> candidates)
    {
        var first = new Dictionary<string, ItemOutcome>(StringComparer.Ordinal);
        var unique = new List<ItemOutcome>();
        foreach (var outcome in candidates)
        {
            if (first.TryGetValue(outcome.ClientId!, out var earlier))
            {
                earlier.Duplicates.Add(outcome);
            }
            else
            {
                first[outcome.ClientId!] = outcome;
                unique.Add(outcome);
            }
        }

        return unique;
    }

    /// <summary>
    /// The fast path of a burst: one binary COPY straight into <c>observations</c>, inside a savepoint. When any item
    /// meets an earlier observation with its client id (a replay, a conflict, or a concurrent batch that shares client
    /// ids) the COPY fails on the unique key, the savepoint is rolled back and null tells the caller to take the staged
    /// <c>ON CONFLICT DO NOTHING</c> path, which answers item by item.
    /// </summary>
    private static async Task<HashSet<string>?> TryCopyAsync(
        WriteSession session, string authorId, List<ItemOutcome> pending, CancellationToken cancellationToken)
    {
        const string Savepoint = "observation_copy";
        await session.Transaction.SaveAsync(Savepoint, cancellationToken);
        try
        {
            await using (var writer = await session.Connection.BeginBinaryImportAsync(
                """
                COPY observations (id, subcortex_id, author_id, client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids)
                FROM STDIN (FORMAT BINARY)
                """,
                cancellationToken))
            {
                // Client-id order, as in InsertAsync: two batches that share client ids wait for each other, never deadlock.
                foreach (var outcome in pending.OrderBy(o => o.ClientId, StringComparer.Ordinal))
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(outcome.Id!, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(outcome.SubcortexId!, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(authorId, NpgsqlDbType.Text, cancellationToken);
                    await WriteContentAsync(writer, outcome, cancellationToken);
                }

                await writer.CompleteAsync(cancellationToken);
            }

            await session.Transaction.ReleaseAsync(Savepoint, cancellationToken);
            return pending.Select(o => o.Id!).ToHashSet(StringComparer.Ordinal);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ClientIdConstraint)
        {
            await session.Transaction.RollbackAsync(Savepoint, cancellationToken);
            return null;
        }
    }

    /// <summary>client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids.</summary>
    private static async Task WriteContentAsync(NpgsqlBinaryImporter writer, ItemOutcome outcome, CancellationToken cancellationToken)
    {
        var input = outcome.Input!;
        await writer.WriteAsync(input.ClientId, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(outcome.Hash!, NpgsqlDbType.Bytea, cancellationToken);
        await writer.WriteAsync(input.Kind, NpgsqlDbType.Text, cancellationToken);
        if (input.Source is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(input.Source, NpgsqlDbType.Text, cancellationToken);
        }

        await writer.WriteAsync(input.Text, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(input.AttributesJson, NpgsqlDbType.Jsonb, cancellationToken);
        await writer.WriteAsync(input.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteAsync(input.AttachmentIds, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
    }

    private static async Task CopyToStagingAsync(WriteSession session, List<ItemOutcome> pending, CancellationToken cancellationToken)
    {
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TEMP TABLE observation_staging (
                ord int NOT NULL, id text NOT NULL, subcortex_id text NOT NULL, client_id text NOT NULL, content_hash bytea NOT NULL,
                kind text NOT NULL, source text, body text NOT NULL, attributes jsonb NOT NULL,
                occurred_at timestamptz NOT NULL, attachment_ids text[] NOT NULL) ON COMMIT DROP
            """,
            transaction: session.Transaction,
            cancellationToken: cancellationToken));
        await using var writer = await session.Connection.BeginBinaryImportAsync(
            """
            COPY observation_staging (ord, id, subcortex_id, client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids)
            FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken);
        for (var ord = 0; ord < pending.Count; ord++)
        {
            var outcome = pending[ord];
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(outcome.Id!, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(outcome.SubcortexId!, NpgsqlDbType.Text, cancellationToken);
            await WriteContentAsync(writer, outcome, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts in client-id order, so two concurrent batches of one author that share client ids wait for each other
    /// in the same order instead of deadlocking (byte order, which is the ordinal order <see cref="TryCopyAsync"/> uses for
    /// these ASCII ids, whatever the database's collation).
    /// </summary>
    private static async Task<HashSet<string>> InsertAsync(WriteSession session, string authorId, CancellationToken cancellationToken)
    {
        var created = await session.Connection.QueryAsync<string>(new CommandDefinition(
            """
            INSERT INTO observations (id, subcortex_id, author_id, client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids)
            SELECT id, subcortex_id, @authorId, client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids
            FROM observation_staging ORDER BY client_id COLLATE "C"
            ON CONFLICT (author_id, client_id) DO NOTHING
            RETURNING id
            """,
            new { authorId },
            session.Transaction,
            cancellationToken: cancellationToken));
        return created.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Items not inserted met an earlier observation with their client id: a replay if the content is equal.</summary>
    private static async Task ResolveReplaysAsync(
        WriteSession session, string authorId, List<ItemOutcome> pending, HashSet<string> created, CancellationToken cancellationToken)
    {
        Dictionary<string, (string Id, byte[] Hash)> earlier = [];
        if (created.Count < pending.Count)
        {
            var rows = await session.Connection.QueryAsync<(string ClientId, string Id, byte[] ContentHash)>(new CommandDefinition(
                """
                SELECT o.client_id, o.id, o.content_hash
                FROM observation_staging s JOIN observations o ON o.author_id = @authorId AND o.client_id = s.client_id
                WHERE o.id <> s.id
                """,
                new { authorId },
                session.Transaction,
                cancellationToken: cancellationToken));
            earlier = rows.ToDictionary(row => row.ClientId, row => (row.Id, row.ContentHash), StringComparer.Ordinal);
        }

        foreach (var outcome in pending)
        {
            var (id, hash) = created.Contains(outcome.Id!) ? (outcome.Id!, outcome.Hash!) : earlier[outcome.ClientId!];
            if (id == outcome.Id)
            {
                outcome.Status = ItemOutcome.Created;
            }
            else
            {
                outcome.Settle(id, hash);
            }

            foreach (var duplicate in outcome.Duplicates)
            {
                duplicate.SubcortexId = outcome.SubcortexId;
                duplicate.Hash = duplicate.Input!.ContentHash();
                duplicate.Settle(id, hash);
            }
        }
    }

    /// <summary>Pending attachments of the caller now belong to the observation that links them; their ACL follows it.</summary>
    private static async Task LinkAttachmentsAsync(
        WriteSession session, string authorId, List<ItemOutcome> fresh, CancellationToken cancellationToken)
    {
        var links = fresh.SelectMany(o => o.Input!.AttachmentIds.Select(a => (Attachment: a, Observation: o))).ToList();
        if (links.Count == 0)
        {
            return;
        }

        var linked = await session.Connection.QueryAsync<(string Id, long Version, string SubcortexId)>(new CommandDefinition(
            """
            UPDATE attachments a
            SET owner_kind = 'observation', owner_id = l.observation_id, subcortex_id = l.subcortex_id,
                version = a.version + 1, updated_at = now()
            FROM (SELECT DISTINCT ON (attachment_id) attachment_id, observation_id, subcortex_id
                  FROM unnest(@attachmentIds, @observationIds, @subcortexIds) AS t(attachment_id, observation_id, subcortex_id)
                  ORDER BY attachment_id, observation_id) l
            WHERE a.id = l.attachment_id AND a.owner_id IS NULL AND a.uploaded_by = @authorId
            RETURNING a.id, a.version, a.subcortex_id
            """,
            new
            {
                authorId,
                attachmentIds = links.Select(l => l.Attachment).ToArray(),
                observationIds = links.Select(l => l.Observation.Id!).ToArray(),
                subcortexIds = links.Select(l => l.Observation.SubcortexId!).ToArray(),
            },
            session.Transaction,
            cancellationToken: cancellationToken));
        foreach (var (id, version, subcortexId) in linked)
        {
            session.Record(new PendingChange(EntityNames.Attachment, id, ChangeOperation.Updated, version, SubcortexId: subcortexId));
        }
    }

    private static string? ClientIdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("clientId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    /// <summary>The <c>search.embed</c> payload: which items of which entity to embed.</summary>
    private sealed record EmbedPayload(string Entity, IReadOnlyList<string> Ids);

    private sealed record Verdict(string? SubcortexId, ProblemKind? Problem, string? Message);

    private sealed record AttachmentAccessRow
    {
        public required string Id { get; init; }
        public required string UploadedBy { get; init; }
        public string? SubcortexId { get; init; }
        public bool IsPrivate { get; init; }
        public bool AskerIsMember { get; init; }
    }
}
