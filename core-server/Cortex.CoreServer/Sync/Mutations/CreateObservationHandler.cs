using System.Text.Json;
using System.Text.Json.Nodes;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Observations;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>
/// <c>observation.create</c>: the target is the subcortex's slug, the payload the REST item without <c>clientId</c> and
/// <c>subcortex</c> (the mutation's client id and target fill them). The REST API's ingest decides, secret check
/// included; the client id doubles as the observation's, so a resent mutation finds the observation it made.
/// </summary>
internal sealed class CreateObservationHandler(ObservationIngest ingest) : IMutationHandler
{
    public string Kind => MutationKinds.CreateObservation;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var slug = context.RequireTarget("subcortex slug");
        context.Demand(CortexAction.CreateObservation, Resource.System);
        if (JsonNode.Parse(context.Mutation.Payload) is not JsonObject item)
        {
            throw CortexException.Invalid("payload", "The payload must be a JSON object.");
        }

        item["clientId"] = context.Mutation.ClientId;
        item["subcortex"] = slug;
        var outcome = (await ingest.IngestAsync(context.Session, context.Me, [JsonSerializer.SerializeToElement(item)], cancellationToken))[0];
        switch (outcome.Status)
        {
            case ItemOutcome.Rejected or ItemOutcome.Conflict:
                var errors = outcome.Errors ?? [];
                throw outcome.Problem == ProblemKind.Validation || outcome.Problem is null && errors.Count > 0
                    ? CortexException.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
                    : new CortexException(outcome.Problem ?? ProblemKind.Conflict, errors.Count > 0 ? errors[0].Message : "The observation was refused.");
            case ItemOutcome.Created:
                context.Session.Audit(new AuditEntry("observation.create", AuditOutcome.Succeeded, context.Actor, EntityNames.Observation, outcome.Id));
                break;
        }

        return MutationEffect.Wrote(outcome.Id!);
    }
}
