using System.Text.Json;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Observations;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cortex.CoreServer.Apis;

internal static class ObservationsApi
{
    /// <summary>A full batch of short observations is a few megabytes; long texts may need more.</summary>
    public const long MaxBatchBodyBytes = 64L << 20;

    public static RouteGroupBuilder MapObservationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/observations", CreateObservation);
        api.MapPost("/observations/batch", CreateObservations).WithMetadata(new RequestSizeLimitAttribute(MaxBatchBodyBytes));
        api.MapGet("/observations/{id}", GetObservation);
        api.MapGet("/observations", ListObservations);
        return api;
    }

    private static async Task<Results<Created<Observation>, Ok<Observation>>> CreateObservation(
        HttpContext context,
        WriteSession session,
        ObservationIngest ingest,
        MarkdownRenderer markdown,
        JsonElement request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.CreateObservation, Resource.System);
        var outcome = (await ingest.IngestAsync(session, me, [request], cancellationToken))[0];
        switch (outcome.Status)
        {
            case ItemOutcome.Rejected or ItemOutcome.Conflict:
                throw Problem(outcome);
            case ItemOutcome.Created:
                session.Audit(new AuditEntry("observation.create", AuditOutcome.Succeeded, context.Actor(), EntityNames.Observation, outcome.Id));
                break;
        }

        var observation = await ObservationStore.ReadAsync(session.Connection, session.Transaction, outcome.Id!, cancellationToken);
        await session.CommitAsync(cancellationToken);
        context.RequestServices.GetRequiredService<Observability.CortexMetrics>().ObservationsIngested(outcome.Status == ItemOutcome.Created ? 1 : 0);
        observation = observation with { TextHtml = markdown.Render(observation.Text) };
        return outcome.Status == ItemOutcome.Created
            ? TypedResults.Created($"/api/v1/observations/{observation.Id}", observation)
            : TypedResults.Ok(observation);
    }

    private static async Task<Ok<ObservationBatchResult>> CreateObservations(
        HttpContext context, WriteSession session, ObservationIngest ingest, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.CreateObservation, Resource.System);
        using var body = await ReadBatchAsync(context.Request, cancellationToken);
        var request = body.RootElement;
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("items", out var items)
            || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() is 0 or > ObservationIngest.MaxBatchItems)
        {
            throw CortexException.Invalid("items", $"Required: an array of 1 to {ObservationIngest.MaxBatchItems} observations.");
        }

        var outcomes = await ingest.IngestAsync(session, me, [.. items.EnumerateArray()], cancellationToken);
        var results = outcomes.Select((outcome, index) => outcome.ToResult(index)).ToList();
        var batch = new ObservationBatchResult(
            Count(results, ItemOutcome.Created), Count(results, ItemOutcome.Existing), Count(results, ItemOutcome.Conflict),
            Count(results, ItemOutcome.Rejected), results);
        if (batch.Created > 0)
        {
            session.Audit(new AuditEntry(
                "observation.batch",
                AuditOutcome.Succeeded,
                context.Actor(),
                EntityNames.Observation,
                Detail: $"created {batch.Created}, existing {batch.Existing}, conflicts {batch.Conflicts}, rejected {batch.Rejected}"));
        }

        await session.BeginAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
        context.RequestServices.GetRequiredService<Observability.CortexMetrics>().ObservationsIngested(batch.Created);
        return TypedResults.Ok(batch);
    }

    /// <summary>
    /// The batch body, parsed into pooled buffers. Binding a <see cref="JsonElement"/> parameter copies the whole body
    /// (megabytes for a full batch) into fresh large-object-heap arrays on every request; collecting them took a large
    /// share of the server's CPU in the ingestion benchmark. Errors are those of the binding: 415 and 400 problems.
    /// </summary>
    private static async Task<JsonDocument> ReadBatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body.", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The body is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<Ok<Observation>> GetObservation(
        HttpContext context, ObservationStore observations, MarkdownRenderer markdown, string id, CancellationToken cancellationToken)
    {
        var (observation, _) = await LoadVisibleAsync(observations, context.Principal(), id, cancellationToken);
        return TypedResults.Ok(observation with { TextHtml = markdown.Render(observation.Text) });
    }

    private static async Task<Ok<Page<Observation>>> ListObservations(
        HttpContext context,
        Content.SubcortexStore subcortexes,
        ObservationStore observations,
        MarkdownRenderer markdown,
        string? subcortex,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(subcortex))
        {
            throw CortexException.Invalid("subcortex", "Required: the slug of the subcortex to list.");
        }

        var (found, _) = await SubcortexesApi.LoadVisibleAsync(subcortexes, context.Principal(), subcortex, cancellationToken);
        var take = Paging.Limit(limit);
        var rows = await observations.ListAsync(found.Id, Paging.Decode(cursor), take + 1, cancellationToken);
        var page = Paging.ToPage(rows, take, o => o.Id);
        return TypedResults.Ok(page with { Items = [.. page.Items.Select(o => o with { TextHtml = markdown.Render(o.Text) })] });
    }

    /// <summary>Loads the observation or 404s, then checks that the caller may read it.</summary>
    internal static async Task<(Observation Observation, Content.ContentAccess Access)> LoadVisibleAsync(
        ObservationStore observations, SharedModel.Principals.Principal me, string id, CancellationToken cancellationToken)
    {
        var found = await observations.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The observation");
        me.Demand(CortexAction.ReadContent, found.Access.Resource(ResourceKind.Observation, found.Observation.AuthorId));
        return found;
    }

    private static int Count(List<ObservationItemResult> results, string status) => results.Count(r => r.Status == status);

    private static CortexException Problem(ItemOutcome outcome)
    {
        var errors = outcome.Errors ?? [];
        var detail = errors.Count > 0 ? errors[0].Message : "The observation was refused.";
        return outcome.Problem == ProblemKind.Validation
            ? CortexException.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
            : new CortexException(outcome.Problem ?? ProblemKind.Conflict, detail);
    }
}
