using System.Text.Json;
using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Applies uploaded outbox mutations exactly once. The client ULID is claimed in <c>sync_mutations</c> inside the
/// mutation's own transaction and the verdict (with the feed position of the effect) is written just before COMMIT,
/// so either both the effect and its verdict exist or neither does; a repeat, even a concurrent one, reads the stored
/// verdict. The same stores, checks and permission matrix as the REST API decide the outcome.
/// </summary>
internal sealed class MutationApplier(
    NpgsqlDataSource dataSource,
    SubcortexStore subcortexes,
    ThreadStore threads,
    TemplateStore templates,
    MarkdownRenderer markdown,
    IOptions<JsonOptions> json)
{
    private static readonly JsonSerializerOptions VerdictJson = new(JsonSerializerDefaults.Web);
    private static readonly ProblemKind UnknownKind = new("unknown-mutation-kind", "The mutation kind is not supported.", 400);
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async Task<MutationVerdict> ApplyAsync(Principal me, Actor actor, OutboxMutation mutation, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(mutation.ClientId) || mutation.ClientId.Length > 64)
        {
            return Rejected(mutation, RejectionReasons.ValidationFailed, "The client id must be a ULID.");
        }

        if (await FindAsync(mutation.ClientId, cancellationToken) is { } stored)
        {
            return Answer(me, mutation, stored);
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
            session.BeforeCommit = ct => StoreAsync(
                session.Connection, session.Transaction, accepted with { VisibleAt = session.CommittedPosition }, ct);
            await session.CommitNowAsync(cancellationToken);
            return Answer(me, mutation, await FindAsync(mutation.ClientId, cancellationToken)
                ?? throw new InvalidOperationException($"Mutation {mutation.ClientId} was not recorded."));
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

    private async Task<Effect> ApplyEffectAsync(
        WriteSession session, Principal me, Actor actor, OutboxMutation mutation, CancellationToken cancellationToken)
    {
        switch (mutation.Kind)
        {
            case MutationKinds.CreateThread:
            {
                var slug = mutation.TargetId ?? throw CortexException.Invalid("targetId", "The subcortex slug is required.");
                var request = Parse<CreateThreadRequest>(mutation);
                var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
                Demand(me, CortexAction.CreateThread, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
                var errors = request.Validate(out var kind);
                if (!errors.IsValid)
                {
                    throw CortexException.Invalid(errors.ToDictionary());
                }

                if (!access.AcceptsContent)
                {
                    throw CortexException.Conflict($"The subcortex '{slug}' takes no new threads.");
                }

                // The draft gate, exactly as the REST API applies it.
                var template = await templates.FindAsync(subcortex.Id, SqlNames.Of(kind), cancellationToken);
                await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(kind), request.Body!, cancellationToken);
                if (DraftGate.MustReview(me, template))
                {
                    var draft = await DraftStore.CreateAsync(
                        session, new NewDraft(DraftKind.Thread, subcortex.Id, me.Id, request.Body!, [], request.Title, SqlNames.Of(kind)), actor, cancellationToken);
                    return new Effect(null, draft.Id);
                }

                var thread = await ThreadStore.InsertAsync(
                    session, subcortex.Id, request.Title!, kind, request.Body!, markdown.Render(request.Body!), me.Id, cancellationToken);
                Record(session, actor, "thread.create", new PendingChange(
                    EntityNames.Thread, thread.Id, FeedOperation.Created, thread.Version, SubcortexId: thread.SubcortexId));
                return new Effect(thread.Id, null);
            }

            case MutationKinds.UpdateThread:
            {
                var id = mutation.TargetId ?? throw CortexException.Invalid("targetId", "The thread id is required.");
                var request = Parse<UpdateThreadRequest>(mutation);
                var (current, access) = await ThreadsApi.LoadVisibleAsync(threads, me, id, cancellationToken);
                Demand(me, CortexAction.UpdateThread, access.Resource(ResourceKind.Thread, current.AuthorId));
                var expected = mutation.BaseVersion ?? request.Version
                    ?? throw CortexException.Invalid("baseVersion", "The version the edit was made against is required.");
                var errors = (request with { Version = expected }).Validate(out var kind);
                if (!errors.IsValid)
                {
                    throw CortexException.Invalid(errors.ToDictionary());
                }

                var html = request.Body is null ? null : markdown.Render(request.Body);
                var updated = await ThreadStore.UpdateAsync(session, id, expected, request.Title, kind, request.Body, html, cancellationToken)
                    ?? throw new CortexException(ProblemKind.VersionConflict, $"The thread is at version {current.Version}, the edit was made against {expected}.");
                Record(session, actor, "thread.update", new PendingChange(
                    EntityNames.Thread, updated.Id, FeedOperation.Updated, updated.Version, SubcortexId: updated.SubcortexId));
                return new Effect(updated.Id, null);
            }

            case MutationKinds.CreateComment:
            {
                var threadId = mutation.TargetId ?? throw CortexException.Invalid("targetId", "The thread id is required.");
                var request = Parse<CreateCommentRequest>(mutation);
                var (thread, access) = await ThreadsApi.LoadVisibleAsync(threads, me, threadId, cancellationToken);
                Demand(me, CortexAction.CreateComment, access.Resource(ResourceKind.Thread, thread.AuthorId));
                var errors = request.Validate();
                if (!errors.IsValid)
                {
                    throw CortexException.Invalid(errors.ToDictionary());
                }

                if (!access.AcceptsContent)
                {
                    throw CortexException.Conflict("The thread's subcortex is closed to new comments.");
                }

                var template = await templates.FindAsync(thread.SubcortexId, "comment", cancellationToken);
                await templates.RequireSectionsAsync(thread.SubcortexId, "comment", request.Body!, cancellationToken);
                if (DraftGate.MustReview(me, template))
                {
                    var draft = await DraftStore.CreateAsync(
                        session, new NewDraft(DraftKind.Comment, thread.SubcortexId, me.Id, request.Body!, [], ThreadId: thread.Id), actor, cancellationToken);
                    return new Effect(null, draft.Id);
                }

                var comment = await CommentStore.InsertAsync(session, thread.Id, me.Id, request.Body!, markdown.Render(request.Body!), cancellationToken);
                Record(session, actor, "comment.create", new PendingChange(
                    EntityNames.Comment, comment.Id, FeedOperation.Created, comment.Version, SubcortexId: thread.SubcortexId));
                return new Effect(comment.Id, null);
            }

            default:
                throw new CortexException(UnknownKind, $"The server does not apply '{mutation.Kind}' mutations from replicas yet.");
        }
    }

    /// <summary>The matrix check of <c>Access.Demand</c>, without its 403 wording about HTTP.</summary>
    private static void Demand(Principal me, CortexAction action, Resource resource)
    {
        if (!Permissions.May(me, action, resource))
        {
            throw CortexException.Forbidden($"The {me.Role.ToString().ToLowerInvariant()} role may not {action} here.");
        }
    }

    private static void Record(WriteSession session, Actor actor, string action, PendingChange change)
    {
        session.Record(change);
        session.Audit(new AuditEntry(action, AuditOutcome.Succeeded, actor, change.Entity, change.EntityId));
    }

    private T Parse<T>(OutboxMutation mutation) =>
        JsonSerializer.Deserialize<T>(mutation.Payload, _json)
        ?? throw CortexException.Invalid("payload", "The payload must be a JSON object.");

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
        : kind == UnknownKind ? RejectionReasons.UnknownKind
        : RejectionReasons.ValidationFailed;

    private static string Describe(CortexException exception) =>
        exception.Errors is { Count: > 0 } errors
            ? string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : exception.Message;

    private sealed record StoredVerdict(string PrincipalId, string Verdict);

    private sealed record Effect(string? EntityId, string? DraftId);
}
