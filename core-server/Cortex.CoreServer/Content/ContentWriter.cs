using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Content;

/// <summary>
/// The one write path for threads and comments, used by the REST endpoints and by the sync hub's mutation handlers:
/// visibility, permission, validation, the secret scan, the subcortex's state, template sections, the draft gate, the
/// insert or update, and the change-feed row and audit event, all inside the caller's <see cref="WriteSession"/>.
/// The caller commits. Checks run in the order the REST API has always answered them (404, 403, 400, 422, 409).
/// </summary>
internal sealed class ContentWriter(
    SubcortexStore subcortexes,
    ThreadStore threads,
    TemplateStore templates,
    MarkdownRenderer markdown,
    ContentSecrets secrets)
{
    public async Task<ContentWrite<CortexThread>> CreateThreadAsync(
        WriteSession session, Principal me, Actor actor, string slug, CreateThreadRequest request, CancellationToken cancellationToken = default)
    {
        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.CreateThread, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        var errors = request.Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        secrets.Require(("title", request.Title), ("body", request.Body));
        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict($"The subcortex '{slug}' is {subcortex.State.ToString().ToLowerInvariant()} and takes no new threads.");
        }

        // The draft gate: agents' threads, and any thread whose template requires review, wait in the review queue.
        var template = await templates.FindAsync(subcortex.Id, SqlNames.Of(kind), cancellationToken);
        await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(kind), request.Body!, cancellationToken);
        if (DraftGate.MustReview(me, template))
        {
            return ContentWrite<CortexThread>.Gated(await DraftStore.CreateAsync(
                session, new NewDraft(DraftKind.Thread, subcortex.Id, me.Id, request.Body!, [], request.Title, SqlNames.Of(kind)), actor, cancellationToken));
        }

        var thread = await ThreadStore.InsertAsync(
            session, subcortex.Id, request.Title!, kind, request.Body!, markdown.Render(request.Body!), me.Id, cancellationToken);
        Record(session, actor, "thread.create", Change(thread, ChangeOperation.Created));
        return ContentWrite<CortexThread>.Written(thread);
    }

    /// <summary>
    /// An edit under the same gate as creation: an agent's edit, or one in a subcortex whose template for the thread's
    /// kind requires review, becomes a thread draft that names the thread (<see cref="Draft.ThreadId"/>) and holds the
    /// whole proposed title, kind and body; approving it applies the edit (<see cref="ThreadEditDrafts"/>). The expected
    /// version is resolved only after the permission and validation checks, in the order the REST API answers them.
    /// </summary>
    public async Task<ContentWrite<CortexThread>> UpdateThreadAsync(
        WriteSession session,
        Principal me,
        Actor actor,
        string id,
        UpdateThreadRequest request,
        Func<ExpectedVersion> expectedVersion,
        CancellationToken cancellationToken = default)
    {
        var (current, access) = await ThreadsApi.LoadVisibleAsync(threads, me, id, cancellationToken);
        me.Demand(CortexAction.UpdateThread, access.Resource(ResourceKind.Thread, current.AuthorId));
        var errors = request.Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        secrets.Require(("title", request.Title), ("body", request.Body));
        var expected = expectedVersion();
        expected.Check(current.Version, "thread");
        var proposedKind = kind ?? current.Kind;
        var template = await templates.FindAsync(current.SubcortexId, SqlNames.Of(proposedKind), cancellationToken);
        if (DraftGate.MustReview(me, template))
        {
            if (!access.AcceptsContent)
            {
                throw CortexException.Conflict($"The thread's subcortex is {SqlNames.Of(access.SubcortexState)} and takes no proposed edits.");
            }

            var proposal = new NewDraft(
                DraftKind.Thread, current.SubcortexId, me.Id, request.Body ?? current.Body, [], request.Title ?? current.Title, SqlNames.Of(proposedKind), ThreadId: current.Id);
            return ContentWrite<CortexThread>.Gated(await DraftStore.CreateAsync(session, proposal, actor, cancellationToken));
        }

        var html = request.Body is null ? null : markdown.Render(request.Body);
        var updated = await ThreadStore.UpdateAsync(session, id, expected.Version, request.Title, kind, request.Body, html, cancellationToken)
            ?? throw expected.Stale(current.Version + 1, "thread");
        Record(session, actor, "thread.update", Change(updated, ChangeOperation.Updated));
        return ContentWrite<CortexThread>.Written(updated);
    }

    public async Task<(CortexThread Thread, ContentWrite<Comment> Write)> CreateCommentAsync(
        WriteSession session, Principal me, Actor actor, string threadId, CreateCommentRequest request, CancellationToken cancellationToken = default)
    {
        var (thread, access) = await ThreadsApi.LoadVisibleAsync(threads, me, threadId, cancellationToken);
        me.Demand(CortexAction.CreateComment, access.Resource(ResourceKind.Thread, thread.AuthorId));
        var errors = request.Validate();
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        secrets.Require(("body", request.Body));
        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict("The thread's subcortex is closed to new comments.");
        }

        // The draft gate, as for threads; comment templates have the kind "comment".
        var template = await templates.FindAsync(thread.SubcortexId, "comment", cancellationToken);
        await templates.RequireSectionsAsync(thread.SubcortexId, "comment", request.Body!, cancellationToken);
        if (DraftGate.MustReview(me, template))
        {
            var draft = await DraftStore.CreateAsync(
                session, new NewDraft(DraftKind.Comment, thread.SubcortexId, me.Id, request.Body!, [], ThreadId: thread.Id), actor, cancellationToken);
            return (thread, ContentWrite<Comment>.Gated(draft));
        }

        var comment = await CommentStore.InsertAsync(session, thread.Id, me.Id, request.Body!, markdown.Render(request.Body!), cancellationToken);
        Record(session, actor, "comment.create", new PendingChange(
            EntityNames.Comment, comment.Id, ChangeOperation.Created, comment.Version, SubcortexId: thread.SubcortexId));
        return (thread, ContentWrite<Comment>.Written(comment));
    }

    internal static PendingChange Change(CortexThread thread, ChangeOperation operation) =>
        new(EntityNames.Thread, thread.Id, operation, thread.Version, SubcortexId: thread.SubcortexId);

    internal static void Record(WriteSession session, Actor actor, string action, PendingChange change)
    {
        session.Record(change);
        session.Audit(new AuditEntry(action, AuditOutcome.Succeeded, actor, change.Entity, change.EntityId));
    }
}
