using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

/// <summary>Subcortex templates, and the review of proposed subcortexes (members propose by creating one).</summary>
internal static class TemplatesApi
{
    private const int MaxSections = 20;
    private const int MaxEvidence = 50;

    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subcortexes/{slug}/templates", ListTemplates);
        api.MapPut("/subcortexes/{slug}/templates/{kind}", PutTemplate);
        api.MapPost("/subcortexes/{slug}/activate", Activate);
        api.MapPost("/subcortexes/{slug}/decline", Decline);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<SubcortexTemplate>>> ListTemplates(
        HttpContext context, SubcortexStore subcortexes, TemplateStore templates, string slug, CancellationToken cancellationToken)
    {
        var (subcortex, _) = await SubcortexesApi.LoadVisibleAsync(subcortexes, context.Principal(), slug, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SubcortexTemplate>>(await templates.ListAsync(subcortex.Id, cancellationToken));
    }

    private static async Task<Ok<SubcortexTemplate>> PutTemplate(
        HttpContext context,
        WriteSession session,
        SubcortexStore subcortexes,
        string slug,
        string kind,
        PutTemplateRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.ManageTemplates, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        var errors = Validate(kind, request);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var template = await TemplateStore.UpsertAsync(session, subcortex.Id, kind, request, cancellationToken);
        session.Mutated(
            context,
            "subcortex.template.put",
            new PendingChange(EntityNames.SubcortexTemplate, $"{subcortex.Id}:{kind}", ChangeOperation.Updated, template.Version, SubcortexId: subcortex.Id));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(template);
    }

    private static ValidationErrors Validate(string kind, PutTemplateRequest request)
    {
        var errors = new ValidationErrors();
        if (kind != SubcortexTemplate.Wildcard && !Rules.IsSlug(kind))
        {
            errors.Add("kind", "Must be '*' or a kind such as incident, comment or runbook.");
        }

        if (request.RequiredSections is { } sections
            && (sections.Length > MaxSections || sections.Any(section => !Rules.IsLine(section, Rules.NameMaxLength))))
        {
            errors.Add("requiredSections", $"At most {MaxSections} headings, each a single line of at most {Rules.NameMaxLength} characters.");
        }

        if (request.MinEvidence is < 0 or > MaxEvidence)
        {
            errors.Add("minEvidence", $"Must be between 0 and {MaxEvidence}.");
        }

        if (request.EvidenceKinds is { } kinds && (kinds.Length == 0 || kinds.Any(k => !EvidenceLink.Kinds.Contains(k))))
        {
            errors.Add("evidenceKinds", $"Must be a non-empty subset of: {string.Join(", ", EvidenceLink.Kinds)}.");
        }

        return errors;
    }

    private static Task<Ok<Subcortex>> Activate(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, string slug, CancellationToken cancellationToken) =>
        DecideAsync(context, session, subcortexes, slug, CortexAction.ActivateSubcortex, SubcortexState.Active, cancellationToken);

    private static Task<Ok<Subcortex>> Decline(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, string slug, CancellationToken cancellationToken) =>
        DecideAsync(context, session, subcortexes, slug, CortexAction.DeclineSubcortex, SubcortexState.Declined, cancellationToken);

    /// <summary>Only a proposed subcortex is activated or declined here; repeating the same decision answers the same.</summary>
    private static async Task<Ok<Subcortex>> DecideAsync(
        HttpContext context,
        WriteSession session,
        SubcortexStore subcortexes,
        string slug,
        CortexAction action,
        SubcortexState target,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(action, access.Resource(ResourceKind.Subcortex, current.CreatedBy));
        if (current.State == target)
        {
            return TypedResults.Ok(current);
        }

        if (current.State != SubcortexState.Proposed)
        {
            throw new CortexException(GateProblems.AlreadyDecided, $"The subcortex is {SqlNames.Of(current.State)}, not proposed.");
        }

        var decided = await SubcortexStore.UpdateAsync(session, current.Id, current.Version, null, null, target, null, cancellationToken)
            ?? throw CortexException.Conflict("The subcortex changed meanwhile; reload it and decide again.");
        session.Mutated(
            context,
            $"subcortex.{(target == SubcortexState.Active ? "activate" : "decline")}",
            new PendingChange(EntityNames.Subcortex, decided.Id, ChangeOperation.Updated, decided.Version, SubcortexId: decided.Id));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(decided);
    }
}
