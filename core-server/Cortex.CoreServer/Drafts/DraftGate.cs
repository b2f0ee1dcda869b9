using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Dapper;

namespace Cortex.CoreServer.Drafts;

/// <summary>
/// The draft gate: which writes become drafts, and the reviews that decide them. Approval locks the draft row
/// (<c>SELECT … FOR UPDATE</c>) and materializes the content in the same transaction, so two reviewers clicking at once
/// queue on the lock: the first materializes, the second finds the draft approved and gets the same answer (200, same
/// <c>materializedId</c>) without writing anything. Approving a rejected draft (or rejecting an approved one) is a 409.
/// </summary>
internal sealed class DraftGate(DraftStore drafts, TemplateStore templates, MarkdownRenderer markdown)
{
    /// <summary>Agents' writes and anything whose template requires review go to the review queue.</summary>
    public static bool MustReview(Principal author, SubcortexTemplate? template) =>
        author.Kind == PrincipalKind.Agent || author.Role == Role.Agent || template?.ReviewRequired == true;

    /// <summary>Loads a draft the caller may see and checks that they may decide it: a reviewer who is not its author.</summary>
    public async Task<Draft> LoadForReviewAsync(Principal me, string id, CortexAction action, CancellationToken cancellationToken)
    {
        var (draft, access) = await drafts.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The draft");
        var resource = access.Resource(ResourceKind.Draft, draft.AuthorId);
        me.Demand(CortexAction.ReadContent, resource);
        me.Demand(action, resource);
        if (draft.AuthorId == me.Id)
        {
            throw new CortexException(GateProblems.SelfReview, "You wrote this draft; another reviewer must decide it.");
        }

        return draft;
    }

    public async Task<Draft> ApproveAsync(HttpContext context, WriteSession session, string id, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        await LoadForReviewAsync(me, id, CortexAction.ApproveDraft, cancellationToken);
        var draft = await DraftStore.LockAsync(session, id, cancellationToken) ?? throw CortexException.NotFound("The draft");
        switch (draft.State)
        {
            case DraftState.Approved:
                await session.CommitAsync(cancellationToken);
                return draft;
            case DraftState.Rejected:
                throw new CortexException(GateProblems.AlreadyDecided, $"The draft was rejected: {draft.Reason}");
        }

        var materializedId = await MaterializeAsync(context, session, draft, cancellationToken);
        var approved = await DraftStore.MarkApprovedAsync(session, id, me.Id, materializedId, cancellationToken);
        DraftStore.Record(session, context.Actor(), "draft.approve", approved, $"latencyMs={approved.ApprovalLatencyMs}");
        await session.CommitAsync(cancellationToken);
        context.RequestServices.GetRequiredService<Observability.CortexMetrics>().DraftApproved(approved.ApprovalLatencyMs);
        return approved;
    }

    public async Task<Draft> RejectAsync(HttpContext context, WriteSession session, string id, string? reason, CancellationToken cancellationToken)
    {
        if (!SharedModel.Validation.Rules.IsText(reason, 2_000))
        {
            throw CortexException.Invalid("reason", "Required: why the draft is rejected, at most 2000 characters.");
        }

        var me = context.Principal();
        await LoadForReviewAsync(me, id, CortexAction.RejectDraft, cancellationToken);
        var draft = await DraftStore.LockAsync(session, id, cancellationToken) ?? throw CortexException.NotFound("The draft");
        switch (draft.State)
        {
            case DraftState.Rejected:
                await session.CommitAsync(cancellationToken);
                return draft;
            case DraftState.Approved:
                throw new CortexException(GateProblems.AlreadyDecided, "The draft was already approved.");
        }

        var rejected = await DraftStore.MarkRejectedAsync(session, id, me.Id, reason!, cancellationToken);
        DraftStore.Record(session, context.Actor(), "draft.reject", rejected);
        await session.CommitAsync(cancellationToken);
        return rejected;
    }

    /// <summary>Creates the real item from the draft, authored by the draft's author; returns its id.</summary>
    private async Task<string> MaterializeAsync(HttpContext context, WriteSession session, Draft draft, CancellationToken cancellationToken)
    {
        var subcortexState = await session.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT state FROM subcortexes WHERE id = @id FOR SHARE", new { id = draft.SubcortexId }, session.Transaction, cancellationToken: cancellationToken));
        if (subcortexState != SqlNames.Of(SubcortexState.Active))
        {
            throw new CortexException(GateProblems.NotActive, $"The draft's subcortex is {subcortexState}; it takes no new content.");
        }

        var html = markdown.Render(draft.Body);
        const string Remedy = "edit the draft to add them before approving it.";
        switch (draft.Kind)
        {
            case DraftKind.Thread when ThreadEditDrafts.IsEdit(draft):
                return await ThreadEditDrafts.ApplyAsync(session, draft, html, context.Actor(), cancellationToken);
            case DraftKind.Thread:
                var threadKind = Enum.Parse<ThreadKind>(draft.ThreadKind!, ignoreCase: true);
                await templates.RequireSectionsForDecisionAsync(draft.SubcortexId, SqlNames.Of(threadKind), draft.Body, Remedy, cancellationToken);
                var thread = await ThreadStore.InsertAsync(session, draft.SubcortexId, draft.Title!, threadKind, draft.Body, html, draft.AuthorId, cancellationToken);
                session.Mutated(context, "thread.create", new PendingChange(EntityNames.Thread, thread.Id, ChangeOperation.Created, thread.Version, SubcortexId: thread.SubcortexId));
                return thread.Id;
            case DraftKind.Comment:
                await templates.RequireSectionsForDecisionAsync(draft.SubcortexId, "comment", draft.Body, Remedy, cancellationToken);
                var comment = await CommentStore.InsertAsync(session, draft.ThreadId!, draft.AuthorId, draft.Body, html, cancellationToken);
                session.Mutated(context, "comment.create", new PendingChange(EntityNames.Comment, comment.Id, ChangeOperation.Created, comment.Version, SubcortexId: draft.SubcortexId));
                return comment.Id;
            default:
                var artifact = await ArtifactStore.LockAsync(session, draft.ArtifactId!, cancellationToken);
                if (artifact?.State != ArtifactState.Active)
                {
                    throw new CortexException(GateProblems.NotActive, "The draft's artifact is no longer active.");
                }

                await templates.RequireSectionsForDecisionAsync(draft.SubcortexId, artifact.Kind, draft.Body, Remedy, cancellationToken);
                var version = await ArtifactStore.InsertVersionAsync(
                    session, draft.ArtifactId!, draft.AuthorId, draft.Body, html, draft.Evidence, artifact.CanonVersion, draft.Id, cancellationToken);
                session.Mutated(context, "artifact.version.propose", ArtifactChanges.Version(version, draft.SubcortexId));
                return version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
