using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Cortex.CoreServer.Apis;

internal static class DraftsApi
{
    public static RouteGroupBuilder MapDraftsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/drafts", ListDrafts);
        api.MapPost("/drafts", CreateDraft);
        api.MapPost("/drafts/batch", Batch);
        api.MapGet("/drafts/{id}", GetDraft);
        api.MapPatch("/drafts/{id}", UpdateDraft);
        api.MapGet("/drafts/{id}/revisions", ListRevisions);
        api.MapPost("/drafts/{id}/approve", Approve);
        api.MapPost("/drafts/{id}/reject", Reject);
        return api;
    }

    private static async Task<Ok<Page<Draft>>> ListDrafts(
        HttpContext context,
        DraftStore drafts,
        string? subcortex,
        string? kind,
        string? author,
        string? state,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.ReadContent, Resource.System);
        var errors = new ValidationErrors();
        var filter = new DraftFilter(subcortex, errors.ParseEnum<DraftKind>("kind", kind), author, errors.ParseEnum<DraftState>("state", state));
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var take = Paging.Limit(limit);
        var seesAll = Permissions.May(me, CortexAction.ApproveDraft, Resource.System);
        var rows = await drafts.ListAsync(me, seesAll, filter, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, d => d.Id));
    }

    private static async Task<Created<Draft>> CreateDraft(
        HttpContext context,
        WriteSession session,
        NpgsqlDataSource dataSource,
        SubcortexStore subcortexes,
        ThreadStore threads,
        ArtifactStore artifacts,
        TemplateStore templates,
        CreateDraftRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var errors = new ValidationErrors();
        var kind = errors.ParseEnum<DraftKind>("kind", request.Kind ?? "");
        errors.RequireText("body", request.Body, Rules.BodyMaxLength);
        if (!errors.IsValid || kind is null)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        context.RequestServices.GetRequiredService<ContentSecrets>().Require(
            ("title", request.Title), ("body", request.Body), ("evidence", EvidenceTargets(request.Evidence)));

        NewDraft draft;
        switch (kind.Value)
        {
            case DraftKind.Thread:
                var thread = new CreateThreadRequest(request.Title, request.Body, request.ThreadKind);
                var threadErrors = thread.Validate(out var threadKind);
                if (!threadErrors.IsValid)
                {
                    throw CortexException.Invalid(threadErrors.ToDictionary());
                }

                var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, request.Subcortex ?? "", cancellationToken);
                Require(me, CortexAction.CreateDraft, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy), access);
                await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(threadKind), request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.Thread, subcortex.Id, me.Id, request.Body!, [], request.Title, SqlNames.Of(threadKind));
                break;
            case DraftKind.Comment:
                var (parent, threadAccess) = await ThreadsApi.LoadVisibleAsync(threads, me, request.ThreadId ?? "", cancellationToken);
                Require(me, CortexAction.CreateDraft, threadAccess.Resource(ResourceKind.Thread, parent.AuthorId), threadAccess);
                await templates.RequireSectionsAsync(parent.SubcortexId, "comment", request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.Comment, parent.SubcortexId, me.Id, request.Body!, [], ThreadId: parent.Id);
                break;
            default:
                var (artifact, artifactAccess) = await ArtifactsApi.LoadVisibleAsync(artifacts, me, request.ArtifactId ?? "", cancellationToken);
                Require(me, CortexAction.CreateDraft, artifactAccess.Resource(ResourceKind.Artifact, artifact.CreatedBy), artifactAccess);
                await templates.RequireSectionsAsync(artifact.SubcortexId, artifact.Kind, request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.ArtifactVersion, artifact.SubcortexId, me.Id, request.Body!, [], ArtifactId: artifact.Id);
                break;
        }

        // Evidence ids are checked only after the permission checks, so that they reveal nothing to those refused.
        draft = draft with { Evidence = await EvidenceLink.ValidateAsync(dataSource, request.Evidence, cancellationToken) };
        var created = await DraftStore.CreateAsync(session, draft, context.Actor(), cancellationToken);
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(created.Version);
        return TypedResults.Created($"/api/v1/drafts/{created.Id}", created);
    }

    /// <summary>Permission first (403), then the subcortex's state (409), as for threads.</summary>
    private static void Require(Principal me, CortexAction action, Resource resource, ContentAccess access)
    {
        me.Demand(action, resource);
        if (!access.AcceptsContent)
        {
            throw new CortexException(GateProblems.NotActive, $"The subcortex is {SqlNames.Of(access.SubcortexState)} and takes no new content.");
        }
    }

    private static async Task<Ok<Draft>> GetDraft(HttpContext context, DraftStore drafts, string id, CancellationToken cancellationToken)
    {
        var (draft, _) = await LoadVisibleAsync(drafts, context.Principal(), id, cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(draft.Version);
        return TypedResults.Ok(draft);
    }

    private static async Task<Ok<IReadOnlyList<DraftRevision>>> ListRevisions(
        HttpContext context, DraftStore drafts, string id, CancellationToken cancellationToken)
    {
        var (draft, _) = await LoadVisibleAsync(drafts, context.Principal(), id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DraftRevision>>(await drafts.ListRevisionsAsync(draft.Id, cancellationToken));
    }

    internal static string? EvidenceTargets(EvidenceLink[]? evidence) =>
        evidence is null ? null : string.Join('\n', evidence.Select(link => link?.Target));

    /// <summary>A draft is visible to its author and, in subcortexes they can read, to reviewers and admins.</summary>
    private static async Task<(Draft Draft, ContentAccess Access)> LoadVisibleAsync(
        DraftStore drafts, Principal me, string id, CancellationToken cancellationToken)
    {
        var (draft, access) = await drafts.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The draft");
        var resource = access.Resource(ResourceKind.Draft, draft.AuthorId);
        me.Demand(CortexAction.ReadContent, resource);
        if (draft.AuthorId != me.Id && !Permissions.May(me, CortexAction.ApproveDraft, resource))
        {
            throw CortexException.NotFound("The draft");
        }

        return (draft, access);
    }

    private static async Task<Ok<Draft>> UpdateDraft(
        HttpContext context,
        WriteSession session,
        NpgsqlDataSource dataSource,
        DraftStore drafts,
        ArtifactStore artifacts,
        TemplateStore templates,
        UpdateDraftRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await LoadVisibleAsync(drafts, me, id, cancellationToken);
        me.Demand(CortexAction.EditDraft, access.Resource(ResourceKind.Draft, current.AuthorId));
        var errors = new ValidationErrors();
        if (request.Title is not null)
        {
            errors.RequireLine("title", request.Title, Rules.TitleMaxLength);
        }

        if (request.Body is not null)
        {
            errors.RequireText("body", request.Body, Rules.BodyMaxLength);
        }

        errors.RequireVersion("version", request.Version);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        context.RequestServices.GetRequiredService<ContentSecrets>().Require(
            ("title", request.Title), ("body", request.Body), ("evidence", EvidenceTargets(request.Evidence)));

        var evidence = request.Evidence is null ? null : await EvidenceLink.ValidateAsync(dataSource, request.Evidence, cancellationToken);
        var expected = ExpectedVersion.From(context, request.Version);
        var locked = await DraftStore.LockAsync(session, id, cancellationToken) ?? throw CortexException.NotFound("The draft");
        expected.Check(locked.Version, "draft");
        if (locked.State != DraftState.Pending)
        {
            throw new CortexException(GateProblems.AlreadyDecided, $"The draft is {SqlNames.Of(locked.State)}; only pending drafts are edited.");
        }

        if (request.Body is not null)
        {
            var templateKind = locked.Kind switch
            {
                DraftKind.Thread => locked.ThreadKind!,
                DraftKind.Comment => "comment",
                _ => (await artifacts.FindAsync(locked.ArtifactId!, me.Id, cancellationToken))?.Artifact.Kind ?? "",
            };
            await templates.RequireSectionsAsync(locked.SubcortexId, templateKind, request.Body, cancellationToken);
        }

        var edited = await DraftStore.EditAsync(session, locked, me.Id, request.Title, request.Body, evidence, cancellationToken);
        DraftStore.Record(session, context.Actor(), "draft.edit", edited);
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(edited.Version);
        return TypedResults.Ok(edited);
    }

    private static async Task<Ok<Draft>> Approve(
        HttpContext context, WriteSession session, DraftGate gate, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await gate.ApproveAsync(context, session, id, cancellationToken));

    private static async Task<Ok<Draft>> Reject(
        HttpContext context, WriteSession session, DraftGate gate, string id, RejectDraftRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(await gate.RejectAsync(context, session, id, request.Reason, cancellationToken));

    /// <summary>
    /// Decides many drafts; each item commits (or fails) on its own, so one refused item never undoes the others. The
    /// answer lists every item's status with the draft or the problem.
    /// </summary>
    private static async Task<Ok<BatchDraftsResponse>> Batch(
        HttpContext context,
        NpgsqlDataSource dataSource,
        AuditLog audit,
        DraftGate gate,
        BatchDraftsRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Items is not { Length: > 0 and <= Paging.MaxLimit })
        {
            throw CortexException.Invalid("items", $"Send 1 to {Paging.MaxLimit} items.");
        }

        var results = new List<BatchItemResult>(request.Items.Length);
        foreach (var item in request.Items)
        {
            await using var session = new WriteSession(dataSource);
            try
            {
                var draft = item.Action switch
                {
                    "approve" => await gate.ApproveAsync(context, session, item.Id ?? "", cancellationToken),
                    "reject" => await gate.RejectAsync(context, session, item.Id ?? "", item.Reason, cancellationToken),
                    _ => throw CortexException.Invalid("action", "Must be approve or reject."),
                };
                results.Add(new BatchItemResult(item.Id, StatusCodes.Status200OK, draft, null, null));
            }
            catch (CortexException problem)
            {
                if (problem.Kind.Status == StatusCodes.Status403Forbidden)
                {
                    await audit.RecordDeniedAsync(context, problem.Message, cancellationToken);
                }

                results.Add(new BatchItemResult(item.Id, problem.Kind.Status, null, problem.Kind.Type, problem.Message));
            }
        }

        return TypedResults.Ok(new BatchDraftsResponse(results));
    }
}
