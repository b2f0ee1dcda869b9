using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class SubcortexesApi
{
    public static RouteGroupBuilder MapSubcortexesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subcortexes", ListSubcortexes);
        api.MapPost("/subcortexes", CreateSubcortex);
        api.MapGet("/subcortexes/{slug}", GetSubcortex);
        api.MapPatch("/subcortexes/{slug}", UpdateSubcortex);
        api.MapPost("/subcortexes/{slug}/archive", ArchiveSubcortex);
        api.MapPost("/subcortexes/{slug}/merge", MergeSubcortex);
        api.MapGet("/subcortexes/{slug}/members", ListMembers);
        api.MapPut("/subcortexes/{slug}/members/{principalId}", AddMember);
        api.MapDelete("/subcortexes/{slug}/members/{principalId}", RemoveMember);
        return api;
    }

    /// <summary>Loads the subcortex or 404s, then checks that the caller may see it.</summary>
    internal static async Task<(Subcortex Subcortex, ContentAccess Access)> LoadVisibleAsync(
        SubcortexStore subcortexes, Principal me, string slug, CancellationToken cancellationToken)
    {
        var found = await subcortexes.FindBySlugAsync(slug, me.Id, cancellationToken)
            ?? throw CortexException.NotFound($"The subcortex '{slug}'");
        me.Demand(CortexAction.ReadContent, found.Access.Resource(ResourceKind.Subcortex, found.Subcortex.CreatedBy));
        return found;
    }

    private static async Task<Ok<Page<Subcortex>>> ListSubcortexes(
        HttpContext context, SubcortexStore subcortexes, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.ReadContent, Resource.System);
        var take = Paging.Limit(limit);
        var rows = await subcortexes.ListVisibleAsync(me, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, s => s.Slug));
    }

    private static async Task<Created<Subcortex>> CreateSubcortex(
        HttpContext context, WriteSession session, CreateSubcortexRequest request, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.CreateSubcortex, Resource.System);
        var errors = request.Validate();
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        // Members propose; those who may archive (reviewers, admins) also activate, so their subcortexes start active.
        var state = Permissions.May(me, CortexAction.ActivateSubcortex, Resource.System) ? SubcortexState.Active : SubcortexState.Proposed;
        me.Demand(state == SubcortexState.Active ? CortexAction.ActivateSubcortex : CortexAction.ProposeSubcortex, Resource.System);
        var subcortex = await SubcortexStore.InsertAsync(
            session, request.Slug!, request.Name!, request.Description ?? "", state, request.IsPrivate ?? false, me.Id, cancellationToken);
        session.Mutated(context, "subcortex.create", Change(subcortex, ChangeOperation.Created));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(subcortex.Version);
        return TypedResults.Created($"/api/v1/subcortexes/{subcortex.Slug}", subcortex);
    }

    private static async Task<Ok<Subcortex>> GetSubcortex(
        HttpContext context, SubcortexStore subcortexes, string slug, CancellationToken cancellationToken)
    {
        var (subcortex, _) = await LoadVisibleAsync(subcortexes, context.Principal(), slug, cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(subcortex.Version);
        if (subcortex.Slug != slug)
        {
            // The slug was merged away: answer with the subcortex it resolves to and name its own address.
            context.Response.Headers.ContentLocation = $"/api/v1/subcortexes/{subcortex.Slug}";
        }

        return TypedResults.Ok(subcortex);
    }

    /// <summary>
    /// Moves all content of <paramref name="slug"/> into the subcortex named by <c>into</c> and makes the old slug
    /// resolve there. Only between public subcortexes: moving content across private member lists would change who can
    /// read it.
    /// </summary>
    private static async Task<Ok<SubcortexMergeResult>> MergeSubcortex(
        HttpContext context,
        WriteSession session,
        SubcortexStore subcortexes,
        string slug,
        MergeSubcortexRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (source, sourceAccess) = await LoadUnresolvedAsync(subcortexes, me, slug, cancellationToken)
            ?? throw CortexException.NotFound($"The subcortex '{slug}'");
        me.Demand(CortexAction.MergeSubcortex, sourceAccess.Resource(ResourceKind.Subcortex, source.CreatedBy));
        if (string.IsNullOrWhiteSpace(request.Into))
        {
            throw CortexException.Invalid("into", "Required: the slug of the subcortex to merge into.");
        }

        var (target, targetAccess) = await LoadUnresolvedAsync(subcortexes, me, request.Into, cancellationToken)
            ?? throw CortexException.Invalid("into", $"There is no subcortex '{request.Into}'.");
        me.Demand(CortexAction.MergeSubcortex, targetAccess.Resource(ResourceKind.Subcortex, target.CreatedBy));
        if (target.Id == source.Id)
        {
            throw CortexException.Invalid("into", "A subcortex cannot be merged into itself.");
        }

        if (source.State == SubcortexState.Merged)
        {
            throw CortexException.Conflict($"The subcortex '{slug}' was already merged.");
        }

        if (target.State != SubcortexState.Active)
        {
            throw CortexException.Conflict(
                $"The subcortex '{target.Slug}' is {target.State.ToString().ToLowerInvariant()}; merge only into an active subcortex.");
        }

        if (source.IsPrivate || target.IsPrivate)
        {
            throw CortexException.Conflict(
                "Only public subcortexes can be merged: moving content between private member lists would change who can read it.");
        }

        var (merged, moved) = await SubcortexMerge.MergeAsync(session, source, target, cancellationToken);
        session.Audit(new AuditEntry(
            "subcortex.merge",
            AuditOutcome.Succeeded,
            context.Actor(),
            EntityNames.Subcortex,
            source.Id,
            $"into {target.Slug} ({target.Id}); moved {moved}"));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(new SubcortexMergeResult(merged, target, moved));
    }

    /// <summary>
    /// Like <see cref="LoadVisibleAsync"/>, for changes to the subcortex itself (settings, state, members): those are
    /// refused through a merged slug, so that an old link cannot archive or reconfigure the merge target by surprise.
    /// </summary>
    private static async Task<(Subcortex Subcortex, ContentAccess Access)> LoadToChangeAsync(
        SubcortexStore subcortexes, Principal me, string slug, CancellationToken cancellationToken)
    {
        var found = await LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        if (found.Subcortex.Slug != slug)
        {
            throw CortexException.Conflict(
                $"The subcortex '{slug}' was merged into '{found.Subcortex.Slug}'; change '{found.Subcortex.Slug}' directly.");
        }

        return found;
    }

    private static async Task<(Subcortex Subcortex, ContentAccess Access)?> LoadUnresolvedAsync(
        SubcortexStore subcortexes, Principal me, string slug, CancellationToken cancellationToken)
    {
        var found = await subcortexes.FindBySlugAsync(slug, me.Id, cancellationToken, followMerges: false);
        if (found is { } visible)
        {
            me.Demand(CortexAction.ReadContent, visible.Access.Resource(ResourceKind.Subcortex, visible.Subcortex.CreatedBy));
        }

        return found;
    }

    private static async Task<Ok<Subcortex>> UpdateSubcortex(
        HttpContext context,
        WriteSession session,
        SubcortexStore subcortexes,
        string slug,
        UpdateSubcortexRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await LoadToChangeAsync(subcortexes, me, slug, cancellationToken);
        var resource = access.Resource(ResourceKind.Subcortex, current.CreatedBy);
        me.Demand(CortexAction.UpdateSubcortex, resource);
        var errors = request.Validate(out var state);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (state is { } newState && newState != current.State)
        {
            me.Demand(CortexAction.ArchiveSubcortex, resource);
            CheckTransition(current.State, newState);
        }

        if (request.IsPrivate is { } isPrivate && isPrivate != current.IsPrivate)
        {
            me.Demand(CortexAction.ManageSubcortexMembers, resource);
        }

        var expected = ExpectedVersion.From(context, request.Version);
        expected.Check(current.Version, "subcortex");
        var updated = await SubcortexStore.UpdateAsync(
            session, current.Id, expected.Version, request.Name, request.Description, state, request.IsPrivate, cancellationToken)
            ?? throw expected.Stale(current.Version + 1, "subcortex");
        session.Mutated(context, "subcortex.update", Change(updated, ChangeOperation.Updated));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    private static async Task<Ok<Subcortex>> ArchiveSubcortex(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, string slug, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await LoadToChangeAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.ArchiveSubcortex, access.Resource(ResourceKind.Subcortex, current.CreatedBy));
        if (current.State == SubcortexState.Archived)
        {
            return TypedResults.Ok(current);
        }

        CheckTransition(current.State, SubcortexState.Archived);
        var archived = await SubcortexStore.UpdateAsync(
            session, current.Id, null, null, null, SubcortexState.Archived, null, cancellationToken)
            ?? throw CortexException.NotFound($"The subcortex '{slug}'");
        session.Mutated(context, "subcortex.archive", Change(archived, ChangeOperation.Updated));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(archived.Version);
        return TypedResults.Ok(archived);
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListMembers(
        HttpContext context, SubcortexStore subcortexes, string slug, CancellationToken cancellationToken)
    {
        var (subcortex, _) = await LoadVisibleAsync(subcortexes, context.Principal(), slug, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<string>>(await subcortexes.ListMembersAsync(subcortex.Id, cancellationToken));
    }

    private static async Task<NoContent> AddMember(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, string slug, string principalId, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (subcortex, access) = await LoadToChangeAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.ManageSubcortexMembers, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        if (await SubcortexStore.AddMemberAsync(session, subcortex.Id, principalId, cancellationToken))
        {
            session.Mutated(context, "subcortex.member.add", MemberChange(subcortex, principalId, ChangeOperation.Created));
        }

        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RemoveMember(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, string slug, string principalId, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (subcortex, access) = await LoadToChangeAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.ManageSubcortexMembers, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        if (await SubcortexStore.RemoveMemberAsync(session, subcortex.Id, principalId, cancellationToken))
        {
            session.Mutated(context, "subcortex.member.remove", MemberChange(subcortex, principalId, ChangeOperation.Deleted));
        }

        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static void CheckTransition(SubcortexState from, SubcortexState to)
    {
        var allowed = (from, to) switch
        {
            (SubcortexState.Proposed, SubcortexState.Active or SubcortexState.Archived) => true,
            (SubcortexState.Active, SubcortexState.Archived) => true,
            (SubcortexState.Archived, SubcortexState.Active) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw CortexException.Conflict($"A {from.ToString().ToLowerInvariant()} subcortex cannot become {to.ToString().ToLowerInvariant()}.");
        }
    }

    private static PendingChange Change(Subcortex subcortex, ChangeOperation operation) =>
        new(EntityNames.Subcortex, subcortex.Id, operation, subcortex.Version, SubcortexId: subcortex.Id);

    private static PendingChange MemberChange(Subcortex subcortex, string principalId, ChangeOperation operation) =>
        new(EntityNames.SubcortexMember, $"{subcortex.Id}:{principalId}", operation, 1, SubcortexId: subcortex.Id);
}
