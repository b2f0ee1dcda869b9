using System.Text.Json;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Principals;
using Cortex.CoreServer.Sync.Mutations;
using Cortex.SyncProtocol;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Applies uploaded outbox mutations exactly once. The client ULID is claimed in <c>sync_mutations</c> inside the
/// mutation's own transaction and the verdict (with the feed position of the effect) is written just before COMMIT,
/// so either both the effect and its verdict exist or neither does; a repeat, even a concurrent one, reads the stored
/// verdict. The same stores, checks and permission matrix as the REST API decide the outcome.
/// </summary>
internal sealed class MutationApplier(NpgsqlDataSource dataSource, IEnumerable<IMutationHandler> handlers, IOptions<JsonOptions> json)
{
    private static readonly JsonSerializerOptions VerdictJson = new(JsonSerializerDefaults.Web);
    private static readonly ProblemKind UnknownKind = new("unknown-mutation-kind", "The mutation kind is not supported.", 400);
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly Dictionary<string, IMutationHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Applies an upload's mutations in order, looking their earlier verdicts up in one query.</summary>
    public async Task<List<MutationVerdict>> ApplyAllAsync(
        Principal me, Actor actor, IReadOnlyList<OutboxMutation> mutations, CancellationToken cancellationToken = default)
    {
        var stored = await FindAllAsync([.. mutations.Select(m => m.ClientId).OfType<string>()], cancellationToken);
        var verdicts = new List<MutationVerdict>(mutations.Count);
        foreach (var mutation in mutations)
        {
            verdicts.Add(mutation.ClientId is { } id && stored.TryGetValue(id, out var earlier)
                ? Answer(me, mutation, earlier)
                : await ApplyNewAsync(me, actor, mutation, cancellationToken));
        }

        return verdicts;
    }

    public async Task<MutationVerdict> ApplyAsync(Principal me, Actor actor, OutboxMutation mutation, CancellationToken cancellationToken = default) =>
        (await ApplyAllAsync(me, actor, [mutation], cancellationToken))[0];

    private async Task<MutationVerdict> ApplyNewAsync(Principal me, Actor actor, OutboxMutation mutation, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(mutation.ClientId) || mutation.ClientId.Length > 64)
        {
            return Rejected(mutation, RejectionReasons.ValidationFailed, "The client id must be a ULID.");
        }

        await using var session = new WriteSession(dataSource);
        MutationVerdict verdict;
        try
        {
            await session.BeginAsync(cancellationToken);
            var claimed = await session.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                """
                INSERT INTO sync_mutations (client_id, principal_id, kind, verdict) VALUES (@clientId, @me, @kind, 'null')
                ON CONFLICT (client_id) DO NOTHING RETURNING client_id
                """,
                new { clientId = mutation.ClientId, me = me.Id, kind = mutation.Kind },
                session.Transaction,
                cancellationToken: cancellationToken));
            if (claimed is null)
            {
                // A concurrent upload of the same id committed first (the INSERT waited for it).
                await session.RollbackAsync();
                return Answer(me, mutation, await FindAsync(mutation.ClientId, cancellationToken)
                    ?? throw new InvalidOperationException($"Mutation {mutation.ClientId} vanished."));
            }

            var effect = await ApplyEffectAsync(session, me, actor, mutation, cancellationToken);
            var accepted = effect.DraftId is null
                ? new MutationVerdict { ClientId = mutation.ClientId, Outcome = VerdictOutcome.Accepted, EntityId = effect.EntityId }
                : new MutationVerdict { ClientId = mutation.ClientId, Outcome = VerdictOutcome.ConvertedToDraft, DraftId = effect.DraftId };
            // The feed position exists only once the feed rows are appended, just before COMMIT.
            var stored = accepted;
            session.BeforeCommit = ct =>
            {
                stored = accepted with { VisibleAt = session.CommittedPosition };
                return StoreAsync(session.Connection, session.Transaction, stored, ct);
            };
            await session.CommitNowAsync(cancellationToken);
            // What was stored is what a repeat will read; answer it as a repeat would (through its JSON form).
            return JsonSerializer.Deserialize<MutationVerdict>(JsonSerializer.Serialize(stored, VerdictJson), VerdictJson)!;
        }
        catch (CortexException exception)
        {
            await session.RollbackAsync();
            verdict = Rejected(mutation, ReasonOf(exception.Kind), Describe(exception));
        }
        catch (JsonException exception)
        {
            await session.RollbackAsync();
            verdict = Rejected(mutation, RejectionReasons.ValidationFailed, $"The payload is not valid JSON: {exception.Message}");
        }

        // Rejections are recorded too, so a repeat gets the same answer even if the cause went away meanwhile.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_mutations (client_id, principal_id, kind, verdict) VALUES (@clientId, @me, @kind, @verdict::jsonb)
            ON CONFLICT (client_id) DO NOTHING
            """,
            new { clientId = mutation.ClientId, me = me.Id, kind = mutation.Kind, verdict = JsonSerializer.Serialize(verdict, VerdictJson) },
            cancellationToken: cancellationToken));
        return await FindAsync(mutation.ClientId, cancellationToken) is { } recorded ? Answer(me, mutation, recorded) : verdict;
    }

    private Task<MutationEffect> ApplyEffectAsync(
        WriteSession session, Principal me, Actor actor, OutboxMutation mutation, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(mutation.Kind, out var handler)
            ? handler.ApplyAsync(new MutationContext(session, me, actor, mutation, _json), cancellationToken)
            : throw new CortexException(UnknownKind, $"The server does not apply '{mutation.Kind}' mutations from replicas.");

    private async Task<Dictionary<string, StoredVerdict>> FindAllAsync(string[] clientIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ClientId, string PrincipalId, string Verdict)>(new CommandDefinition(
            "SELECT client_id, principal_id, verdict::text FROM sync_mutations WHERE client_id = ANY(@clientIds)",
            new { clientIds },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.ClientId, r => new StoredVerdict(r.PrincipalId, r.Verdict), StringComparer.Ordinal);
    }

    private async Task<StoredVerdict?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredVerdict>(new CommandDefinition(
            "SELECT principal_id, verdict::text AS verdict FROM sync_mutations WHERE client_id = @clientId",
            new { clientId },
            cancellationToken: cancellationToken));
    }

    private static async Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MutationVerdict verdict, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sync_mutations SET verdict = @verdict::jsonb WHERE client_id = @clientId",
            new { clientId = verdict.ClientId, verdict = JsonSerializer.Serialize(verdict, VerdictJson) },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>The stored verdict, unless the id was used by another principal: that answer is not theirs to see.</summary>
    private static MutationVerdict Answer(Principal me, OutboxMutation mutation, StoredVerdict stored) =>
        stored.PrincipalId == me.Id
            ? JsonSerializer.Deserialize<MutationVerdict>(stored.Verdict, VerdictJson)
              ?? throw new InvalidOperationException($"Mutation {mutation.ClientId} has no verdict.")
            : Rejected(mutation, RejectionReasons.Forbidden, "The client id was already used by another principal.");

    private static MutationVerdict Rejected(OutboxMutation mutation, string reason, string message) => new()
    {
        ClientId = mutation.ClientId,
        Outcome = VerdictOutcome.Rejected,
        ReasonCode = reason,
        Message = message,
    };

    private static string ReasonOf(ProblemKind kind) =>
        kind == ProblemKind.NotFound ? RejectionReasons.NotFound
        : kind == ProblemKind.Forbidden ? RejectionReasons.Forbidden
        : kind == ProblemKind.VersionConflict ? RejectionReasons.VersionConflict
        : kind == ProblemKind.PayloadTooLarge ? RejectionReasons.TooLarge
        : kind == Content.ContentSecrets.SecretDetected ? RejectionReasons.SecretDetected
        : kind == UnknownKind ? RejectionReasons.UnknownKind
        : RejectionReasons.ValidationFailed;

    private static string Describe(CortexException exception) =>
        exception.Errors is { Count: > 0 } errors
            ? string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : exception.Message;

    private sealed record StoredVerdict(string PrincipalId, string Verdict);
}
