using System.Globalization;
using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Cortex.CoreServer.Apis;

internal static class ArtifactsApi
{
    public static RouteGroupBuilder MapArtifactsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/artifacts", ListArtifacts);
        api.MapPost("/artifacts", CreateArtifact);
        api.MapGet("/artifacts/{id}", GetArtifact);
        api.MapPost("/artifacts/{id}/deprecate", Deprecate);
        api.MapPost("/artifacts/{id}/supersede", Supersede);
        api.MapGet("/artifacts/{id}/diff", Diff);
        api.MapGet("/artifacts/{id}/versions", ListVersions);
        api.MapPost("/artifacts/{id}/versions", ProposeVersion);
        api.MapGet("/artifacts/{id}/versions/{n:int}", GetVersion);
        api.MapPatch("/artifacts/{id}/versions/{n:int}", EditVersion);
        api.MapPost("/artifacts/{id}/versions/{n:int}/accept", Accept);
        return api;
    }

    internal static async Task<(Artifact Artifact, ContentAccess Access)> LoadVisibleAsync(
        ArtifactStore artifacts, Principal me, string id, CancellationToken cancellationToken)
    {
        var found = await artifacts.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The artifact");
        me.Demand(CortexAction.ReadContent, found.Access.Resource(ResourceKind.Artifact, found.Artifact.CreatedBy));
        return found;
    }

    private static async Task<Ok<Page<Artifact>>> ListArtifacts(
        HttpContext context, ArtifactStore artifacts, string? subcortex, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.ReadContent, Resource.System);
        var take = Paging.Limit(limit);
        var rows = await artifacts.ListAsync(me, subcortex, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, a => a.Id));
    }

    private static async Task<Created<Artifact>> CreateArtifact(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, CreateArtifactRequest request, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var errors = new ValidationErrors();
        errors.RequireLine("title", request.Title, Rules.TitleMaxLength);
        if (!Rules.IsSlug(request.Kind))
        {
            errors.Add("kind", "Required: a kind such as runbook, decision or spec (lowercase letters, digits, inner hyphens).");
        }

        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, request.Subcortex ?? "", cancellationToken);
        me.Demand(CortexAction.CreateArtifact, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        RequireActive(access);
        var artifact = await ArtifactStore.InsertAsync(session, subcortex.Id, request.Title!, request.Kind!, me.Id, cancellationToken);
        session.Mutated(context, "artifact.create", ArtifactChanges.Artifact(artifact, ChangeOperation.Created));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/artifacts/{artifact.Id}", artifact);
    }

    private static async Task<Ok<Artifact>> GetArtifact(HttpContext context, ArtifactStore artifacts, string id, CancellationToken cancellationToken)
    {
        var (artifact, _) = await LoadVisibleAsync(artifacts, context.Principal(), id, cancellationToken);
        return TypedResults.Ok(artifact);
    }

    private static async Task<Ok<Page<ArtifactVersion>>> ListVersions(
        HttpContext context, ArtifactStore artifacts, string id, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var (artifact, _) = await LoadVisibleAsync(artifacts, context.Principal(), id, cancellationToken);
        var take = Paging.Limit(limit);
        var after = Paging.Decode(cursor) is { } position && int.TryParse(position, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;
        var rows = await artifacts.ListVersionsAsync(artifact.Id, after, take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, v => v.Number.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<Ok<ArtifactVersion>> GetVersion(
        HttpContext context, ArtifactStore artifacts, string id, int n, CancellationToken cancellationToken)
    {
        var (artifact, _) = await LoadVisibleAsync(artifacts, context.Principal(), id, cancellationToken);
        return TypedResults.Ok(await artifacts.FindVersionAsync(artifact.Id, n, cancellationToken) ?? throw CortexException.NotFound($"Version {n}"));
    }

    private static Task<Results<Created<ArtifactVersion>, Accepted<Draft>>> ProposeVersion(
        HttpContext context,
        WriteSession session,
        NpgsqlDataSource dataSource,
        ArtifactStore artifacts,
        TemplateStore templates,
        MarkdownRenderer markdown,
        string id,
        ProposeVersionRequest request,
        CancellationToken cancellationToken) =>
        ProposeAsync(context, session, dataSource, artifacts, templates, markdown, id, request, cancellationToken);

    /// <summary>Canon is read-only: an edit of any version proposes a new version based on it.</summary>
    private static async Task<Results<Created<ArtifactVersion>, Accepted<Draft>>> EditVersion(
        HttpContext context,
        WriteSession session,
        NpgsqlDataSource dataSource,
        ArtifactStore artifacts,
        TemplateStore templates,
        MarkdownRenderer markdown,
        string id,
        int n,
        ProposeVersionRequest request,
        CancellationToken cancellationToken)
    {
        var (artifact, _) = await LoadVisibleAsync(artifacts, context.Principal(), id, cancellationToken);
        var basis = await artifacts.FindVersionAsync(artifact.Id, n, cancellationToken) ?? throw CortexException.NotFound($"Version {n}");
        var edit = new ProposeVersionRequest(request.Body ?? basis.Body, request.Evidence ?? basis.Evidence, n);
        return await ProposeAsync(context, session, dataSource, artifacts, templates, markdown, id, edit, cancellationToken);
    }

    private static async Task<Results<Created<ArtifactVersion>, Accepted<Draft>>> ProposeAsync(
        HttpContext context,
        WriteSession session,
        NpgsqlDataSource dataSource,
        ArtifactStore artifacts,
        TemplateStore templates,
        MarkdownRenderer markdown,
        string id,
        ProposeVersionRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (artifact, access) = await LoadVisibleAsync(artifacts, me, id, cancellationToken);
        me.Demand(CortexAction.ProposeArtifactVersion, access.Resource(ResourceKind.Artifact, artifact.CreatedBy));
        var errors = new ValidationErrors();
        errors.RequireText("body", request.Body, Rules.BodyMaxLength);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        context.RequestServices.GetRequiredService<ContentSecrets>().Require(
            ("body", request.Body), ("evidence", DraftsApi.EvidenceTargets(request.Evidence)));
        RequireActive(access);
        if (artifact.State != ArtifactState.Active)
        {
            throw new CortexException(GateProblems.NotActive, $"The artifact is {SqlNames.Of(artifact.State)} and takes no new versions.");
        }

        var evidence = await EvidenceLink.ValidateAsync(dataSource, request.Evidence, cancellationToken);
        await templates.RequireSectionsAsync(artifact.SubcortexId, artifact.Kind, request.Body!, cancellationToken);
        if (DraftGate.MustReview(me, await templates.FindAsync(artifact.SubcortexId, artifact.Kind, cancellationToken)))
        {
            var draft = await DraftStore.CreateAsync(
                session,
                new NewDraft(DraftKind.ArtifactVersion, artifact.SubcortexId, me.Id, request.Body!, evidence, ArtifactId: artifact.Id),
                context.Actor(),
                cancellationToken);
            await session.CommitAsync(cancellationToken);
            return TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft);
        }

        if (request.BasedOn is { } basedOn && await artifacts.FindVersionAsync(artifact.Id, basedOn, cancellationToken) is null)
        {
            throw CortexException.Invalid("basedOn", $"The artifact has no version {basedOn}.");
        }

        var version = await ArtifactStore.InsertVersionAsync(
            session, artifact.Id, me.Id, request.Body!, markdown.Render(request.Body!), evidence, request.BasedOn ?? artifact.CanonVersion, null, cancellationToken);
        session.Mutated(context, "artifact.version.propose", ArtifactChanges.Version(version, artifact.SubcortexId));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/artifacts/{artifact.Id}/versions/{version.Number}", version);
    }

    /// <summary>If-Match (optional) names the revision the reviewer read; a version co-edited since is refused with 412.</summary>
    private static async Task<Ok<ArtifactVersion>> Accept(
        HttpContext context, WriteSession session, CanonGate gate, string id, int n, CancellationToken cancellationToken)
    {
        var expected = context.Request.Headers.IfMatch.Count == 0 ? (ExpectedVersion?)null : ExpectedVersion.From(context, null);
        return TypedResults.Ok(await gate.AcceptAsync(context, session, id, n, expected, cancellationToken));
    }

    private static async Task<Ok<ArtifactDiff>> Diff(
        HttpContext context, ArtifactStore artifacts, string id, int from, int to, CancellationToken cancellationToken)
    {
        var (artifact, _) = await LoadVisibleAsync(artifacts, context.Principal(), id, cancellationToken);
        var before = await artifacts.FindVersionAsync(artifact.Id, from, cancellationToken) ?? throw CortexException.NotFound($"Version {from}");
        var after = await artifacts.FindVersionAsync(artifact.Id, to, cancellationToken) ?? throw CortexException.NotFound($"Version {to}");
        return TypedResults.Ok(new ArtifactDiff(from, to, LineDiff.Unified(before.Body, after.Body, $"v{from}", $"v{to}")));
    }

    private static Task<Ok<Artifact>> Deprecate(
        HttpContext context, WriteSession session, ArtifactStore artifacts, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(context, session, artifacts, id, ArtifactState.Deprecated, null, cancellationToken);

    private static async Task<Ok<Artifact>> Supersede(
        HttpContext context, WriteSession session, ArtifactStore artifacts, string id, SupersedeArtifactRequest request, CancellationToken cancellationToken)
    {
        var (successor, _) = await LoadVisibleAsync(artifacts, context.Principal(), request.By ?? "", cancellationToken);
        if (successor.Id == id)
        {
            throw CortexException.Invalid("by", "An artifact does not supersede itself.");
        }

        return await ChangeStateAsync(context, session, artifacts, id, ArtifactState.Superseded, successor.Id, cancellationToken);
    }

    private static async Task<Ok<Artifact>> ChangeStateAsync(
        HttpContext context,
        WriteSession session,
        ArtifactStore artifacts,
        string id,
        ArtifactState state,
        string? supersededBy,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (visible, access) = await LoadVisibleAsync(artifacts, me, id, cancellationToken);
        me.Demand(CortexAction.DeprecateArtifact, access.Resource(ResourceKind.Artifact, visible.CreatedBy));
        var current = await ArtifactStore.LockAsync(session, id, cancellationToken) ?? throw CortexException.NotFound("The artifact");
        if (current.State != ArtifactState.Active)
        {
            throw new CortexException(GateProblems.NotActive, $"The artifact is already {SqlNames.Of(current.State)}.");
        }

        var changed = await ArtifactStore.SetStateAsync(session, id, state, supersededBy, cancellationToken);
        session.Mutated(context, $"artifact.{SqlNames.Of(state)}", ArtifactChanges.Artifact(changed, ChangeOperation.Updated));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(changed);
    }

    private static void RequireActive(ContentAccess access)
    {
        if (!access.AcceptsContent)
        {
            throw new CortexException(GateProblems.NotActive, $"The subcortex is {SqlNames.Of(access.SubcortexState)} and takes no new content.");
        }
    }
}
