using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;
using Dapper;

namespace Cortex.CoreServer.Documents;

/// <summary>What the caller may do with a document, decided by the same rules as the owning entity's REST API.</summary>
internal sealed record DocumentAccess(bool Writable, string? RefusalCode, string? ReadOnlyReason);

/// <summary>The owning entity's body, read under its row lock; <see cref="Editable"/> is false once a draft is decided
/// or an artifact version left the proposed state (an access check made before the lock may be stale).</summary>
internal sealed record LockedBody(string Body, long Version, bool Editable);

/// <summary>
/// The entities that own document bodies: threads, drafts and artifact versions. Reading a document needs read access
/// to its entity; writing a document is allowed exactly when a REST update of the entity would be applied directly, so
/// where the draft gate would turn the edit into a proposal (agents, review-required templates) the document is
/// read-only and the proposal's own body is the document to edit. A proposed artifact version is writable by whoever
/// may propose versions of it directly; canon and superseded versions are read-only (canon is never edited in place),
/// and the canon gate refuses co-editors as reviewers and accepts only the revision the reviewer read.
/// </summary>
internal sealed class DocumentOwners(
    ThreadStore threads, DraftStore drafts, ArtifactStore artifacts, TemplateStore templates, MarkdownRenderer markdown)
{
    public async Task<DocumentAccess> CheckAsync(Principal me, DocumentRef document, CancellationToken cancellationToken)
    {
        switch (document.Kind)
        {
            case DocumentOwnerKind.Thread:
            {
                var (thread, access) = await threads.FindAsync(document.EntityId, me.Id, cancellationToken) ?? throw NotFound(document);
                var resource = access.Resource(ResourceKind.Thread, thread.AuthorId);
                DemandRead(me, resource, document);
                if (!Permissions.May(me, CortexAction.UpdateThread, resource))
                {
                    return ReadOnly(me, CortexAction.UpdateThread);
                }

                // The draft gate, as for a REST edit: an agent's edit, or any edit where the template requires review,
                // becomes a proposal; a live edit cannot, so the document is read-only and the proposal's body is edited.
                var template = await templates.FindAsync(thread.SubcortexId, SqlNames.Of(thread.Kind), cancellationToken);
                return DraftGate.MustReview(me, template)
                    ? new DocumentAccess(false, DocumentErrors.ReviewRequired,
                        "edits here need review: propose the edit as a draft (PATCH the thread) and co-edit the draft's body")
                    : new DocumentAccess(true, null, null);
            }

            case DocumentOwnerKind.Draft:
            {
                var (draft, access) = await drafts.FindAsync(document.EntityId, me.Id, cancellationToken) ?? throw NotFound(document);
                var resource = access.Resource(ResourceKind.Draft, draft.AuthorId);
                DemandRead(me, resource, document);
                if (draft.AuthorId != me.Id && !Permissions.May(me, CortexAction.ApproveDraft, resource))
                {
                    throw NotFound(document);
                }

                if (draft.State != DraftState.Pending)
                {
                    return new DocumentAccess(false, DocumentErrors.ReadOnly, $"the draft is {SqlNames.Of(draft.State)}; only pending drafts are edited");
                }

                return Permissions.May(me, CortexAction.EditDraft, resource) ? new DocumentAccess(true, null, null) : ReadOnly(me, CortexAction.EditDraft);
            }

            default:
            {
                var (artifact, access) = await artifacts.FindAsync(document.EntityId, me.Id, cancellationToken) ?? throw NotFound(document);
                var resource = access.Resource(ResourceKind.Artifact, artifact.CreatedBy);
                DemandRead(me, resource, document);
                var version = await artifacts.FindVersionAsync(document.EntityId, document.VersionNumber ?? 0, cancellationToken) ?? throw NotFound(document);
                if (version.State != VersionState.Proposed)
                {
                    return new DocumentAccess(false, DocumentErrors.ReadOnly,
                        $"version {version.Number} is {SqlNames.Of(version.State)}; canon is never edited in place: propose a new version");
                }

                if (artifact.State != ArtifactState.Active || !access.AcceptsContent)
                {
                    return new DocumentAccess(false, DocumentErrors.ReadOnly, "the artifact (or its subcortex) takes no new versions");
                }

                if (!Permissions.May(me, CortexAction.ProposeArtifactVersion, resource))
                {
                    return ReadOnly(me, CortexAction.ProposeArtifactVersion);
                }

                // As for proposing a version over REST: where that would become a draft, a live edit may not bypass it.
                var template = await templates.FindAsync(artifact.SubcortexId, artifact.Kind, cancellationToken);
                return DraftGate.MustReview(me, template)
                    ? new DocumentAccess(false, DocumentErrors.ReviewRequired,
                        "versions you propose here need review: propose your text as a new version, which becomes a draft")
                    : new DocumentAccess(true, null, null);
            }
        }
    }

    /// <summary>Locks the owning row for the rest of the session (entity first, then the document: one lock order).</summary>
    public static async Task<LockedBody> LockBodyAsync(WriteSession session, DocumentRef document, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        var sql = document.Kind switch
        {
            DocumentOwnerKind.Thread => "SELECT body, version, true AS editable FROM threads WHERE id = @id FOR UPDATE",
            DocumentOwnerKind.Draft => "SELECT body, version, state = 'pending' AS editable FROM drafts WHERE id = @id FOR UPDATE",
            _ => """
                 SELECT body, revision::bigint AS version, state = 'proposed' AS editable
                 FROM artifact_versions WHERE artifact_id = @id AND number = @number FOR UPDATE
                 """,
        };
        return await session.Connection.QuerySingleOrDefaultAsync<LockedBody>(new CommandDefinition(
                   sql, new { id = document.EntityId, number = document.VersionNumber ?? 0 }, session.Transaction, cancellationToken: cancellationToken))
               ?? throw NotFound(document);
    }

    /// <summary>Writes the document's text into the entity: a new version, its change-feed row and audit event.</summary>
    public async Task MaterializeAsync(
        WriteSession session, Principal me, Actor actor, DocumentRef document, LockedBody locked, string text, CancellationToken cancellationToken)
    {
        switch (document.Kind)
        {
            case DocumentOwnerKind.Thread:
                var thread = await ThreadStore.UpdateAsync(
                                 session, document.EntityId, locked.Version, null, null, text, markdown.Render(text), cancellationToken)
                             ?? throw new InvalidOperationException($"Thread {document.EntityId} changed under its row lock.");
                session.Record(new PendingChange(EntityNames.Thread, thread.Id, Cortex.SharedModel.Feed.ChangeOperation.Updated, thread.Version, SubcortexId: thread.SubcortexId));
                session.Audit(new AuditEntry("thread.update", AuditOutcome.Succeeded, actor, EntityNames.Thread, thread.Id, "document"));
                return;
            case DocumentOwnerKind.Draft:
                var current = await DraftStore.LockAsync(session, document.EntityId, cancellationToken) ?? throw NotFound(document);
                if (current.State != DraftState.Pending)
                {
                    throw DocumentRefusal.Of(DocumentErrors.ReadOnly, $"the draft is {SqlNames.Of(current.State)}; only pending drafts are edited");
                }

                var edited = await DraftStore.EditAsync(session, current, me.Id, null, text, null, cancellationToken);
                DraftStore.Record(session, actor, "draft.edit", edited, "document");
                return;
            default:
                var number = document.VersionNumber ?? 0;
                var (version, subcortexId) = await ArtifactStore.EditProposedAsync(
                                                 session, document.EntityId, number, me.Id, text, markdown.Render(text), cancellationToken)
                                             ?? throw DocumentRefusal.Of(DocumentErrors.ReadOnly, $"version {number} is no longer proposed");
                session.Record(ArtifactChanges.Version(version, subcortexId, Cortex.SharedModel.Feed.ChangeOperation.Updated));
                session.Audit(new AuditEntry(
                    "artifact.version.edit", AuditOutcome.Succeeded, actor, EntityNames.ArtifactVersion, $"{version.ArtifactId}:{version.Number}", "document"));
                return;
        }
    }

    private static void DemandRead(Principal me, Resource resource, DocumentRef document)
    {
        if (!Permissions.May(me, CortexAction.ReadContent, resource))
        {
            throw DocumentRefusal.Of(DocumentErrors.Forbidden, $"you may not read {document}");
        }
    }

    private static DocumentAccess ReadOnly(Principal me, CortexAction action) =>
        new(false, DocumentErrors.ReadOnly, $"the {me.Role.ToString().ToLowerInvariant()} role may not {action} here");

    private static Microsoft.AspNetCore.SignalR.HubException NotFound(DocumentRef document) =>
        DocumentRefusal.Of(DocumentErrors.NotFound, $"{document} does not exist or is not visible to you");
}
