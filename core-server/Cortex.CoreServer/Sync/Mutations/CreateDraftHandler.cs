using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Validation;
using Cortex.SyncProtocol;
using Npgsql;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>
/// <c>draft.create</c>: the payload is the REST API's <see cref="CreateDraftRequest"/> (a thread, a comment or an
/// artifact version proposed for review, with evidence); the same checks decide, in the same order. The draft is the
/// effect asked for, so the verdict is "accepted" with the draft's id as the entity.
/// </summary>
internal sealed class CreateDraftHandler(
    NpgsqlDataSource dataSource, SubcortexStore subcortexes, ThreadStore threads, ArtifactStore artifacts, TemplateStore templates, ContentSecrets secrets)
    : IMutationHandler
{
    public string Kind => MutationKinds.CreateDraft;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var request = context.Parse<CreateDraftRequest>();
        var me = context.Me;
        var errors = new ValidationErrors();
        var kind = errors.ParseEnum<DraftKind>("kind", request.Kind ?? "");
        errors.RequireText("body", request.Body, Rules.BodyMaxLength);
        if (!errors.IsValid || kind is null)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        secrets.Require(("title", request.Title), ("body", request.Body), ("evidence", DraftsApi.EvidenceTargets(request.Evidence)));
        NewDraft draft;
        switch (kind.Value)
        {
            case DraftKind.Thread:
                var threadErrors = new CreateThreadRequest(request.Title, request.Body, request.ThreadKind).Validate(out var threadKind);
                if (!threadErrors.IsValid)
                {
                    throw CortexException.Invalid(threadErrors.ToDictionary());
                }

                var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, request.Subcortex ?? context.Mutation.TargetId ?? "", cancellationToken);
                Require(context, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy), access);
                await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(threadKind), request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.Thread, subcortex.Id, me.Id, request.Body!, [], request.Title, SqlNames.Of(threadKind));
                break;
            case DraftKind.Comment:
                var (parent, threadAccess) = await ThreadsApi.LoadVisibleAsync(threads, me, request.ThreadId ?? "", cancellationToken);
                Require(context, threadAccess.Resource(ResourceKind.Thread, parent.AuthorId), threadAccess);
                await templates.RequireSectionsAsync(parent.SubcortexId, "comment", request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.Comment, parent.SubcortexId, me.Id, request.Body!, [], ThreadId: parent.Id);
                break;
            default:
                var (artifact, artifactAccess) = await ArtifactsApi.LoadVisibleAsync(artifacts, me, request.ArtifactId ?? "", cancellationToken);
                Require(context, artifactAccess.Resource(ResourceKind.Artifact, artifact.CreatedBy), artifactAccess);
                await templates.RequireSectionsAsync(artifact.SubcortexId, artifact.Kind, request.Body!, cancellationToken);
                draft = new NewDraft(DraftKind.ArtifactVersion, artifact.SubcortexId, me.Id, request.Body!, [], ArtifactId: artifact.Id);
                break;
        }

        // Evidence ids are checked only after the permission checks, so that they reveal nothing to those refused.
        draft = draft with { Evidence = await EvidenceLink.ValidateAsync(dataSource, request.Evidence, cancellationToken) };
        var created = await DraftStore.CreateAsync(context.Session, draft, context.Actor, cancellationToken);
        return MutationEffect.Wrote(created.Id);
    }

    private static void Require(MutationContext context, Resource resource, ContentAccess access)
    {
        context.Demand(CortexAction.CreateDraft, resource);
        if (!access.AcceptsContent)
        {
            throw new CortexException(GateProblems.NotActive, $"The subcortex is {SqlNames.Of(access.SubcortexState)} and takes no new content.");
        }
    }
}
