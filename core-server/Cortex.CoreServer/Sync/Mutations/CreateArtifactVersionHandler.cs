using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Validation;
using Cortex.SyncProtocol;
using Npgsql;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>
/// <c>artifactVersion.create</c>: proposes a new version of the target artifact; the payload is the REST API's
/// <see cref="ProposeVersionRequest"/>. The draft gate applies as in the REST API (agents' proposals become drafts);
/// otherwise the version is written proposed, for canon review.
/// </summary>
internal sealed class CreateArtifactVersionHandler(
    NpgsqlDataSource dataSource, ArtifactStore artifacts, TemplateStore templates, MarkdownRenderer markdown, ContentSecrets secrets)
    : IMutationHandler
{
    public string Kind => MutationKinds.CreateArtifactVersion;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var id = context.RequireTarget("artifact id");
        var request = context.Parse<ProposeVersionRequest>();
        var (artifact, access) = await ArtifactsApi.LoadVisibleAsync(artifacts, context.Me, id, cancellationToken);
        context.Demand(CortexAction.ProposeArtifactVersion, access.Resource(ResourceKind.Artifact, artifact.CreatedBy));
        var errors = new ValidationErrors();
        errors.RequireText("body", request.Body, Rules.BodyMaxLength);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        secrets.Require(("body", request.Body), ("evidence", DraftsApi.EvidenceTargets(request.Evidence)));
        if (!access.AcceptsContent)
        {
            throw new CortexException(GateProblems.NotActive, $"The subcortex is {SqlNames.Of(access.SubcortexState)} and takes no new content.");
        }

        if (artifact.State != ArtifactState.Active)
        {
            throw new CortexException(GateProblems.NotActive, $"The artifact is {SqlNames.Of(artifact.State)} and takes no new versions.");
        }

        var evidence = await EvidenceLink.ValidateAsync(dataSource, request.Evidence, cancellationToken);
        await templates.RequireSectionsAsync(artifact.SubcortexId, artifact.Kind, request.Body!, cancellationToken);
        if (DraftGate.MustReview(context.Me, await templates.FindAsync(artifact.SubcortexId, artifact.Kind, cancellationToken)))
        {
            var draft = await DraftStore.CreateAsync(
                context.Session,
                new NewDraft(DraftKind.ArtifactVersion, artifact.SubcortexId, context.Me.Id, request.Body!, evidence, ArtifactId: artifact.Id),
                context.Actor,
                cancellationToken);
            return MutationEffect.Drafted(draft.Id);
        }

        if (request.BasedOn is { } basedOn && await artifacts.FindVersionAsync(artifact.Id, basedOn, cancellationToken) is null)
        {
            throw CortexException.Invalid("basedOn", $"The artifact has no version {basedOn}.");
        }

        var version = await ArtifactStore.InsertVersionAsync(
            context.Session, artifact.Id, context.Me.Id, request.Body!, markdown.Render(request.Body!), evidence,
            request.BasedOn ?? artifact.CanonVersion, null, cancellationToken);
        var change = ArtifactChanges.Version(version, artifact.SubcortexId);
        context.Record("artifact.version.propose", change);
        return MutationEffect.Wrote(change.EntityId);
    }
}
