using System.Text.Json;
using Cortex.Replica;

namespace Cortex.Daemon.LocalApi;

/// <summary>A write for the outbox, as the CLI, the stop hook and the MCP tools hand it over.</summary>
internal sealed record WriteRequest(string Kind, string? TargetEntity, string? TargetId, JsonElement Payload, long? BaseVersion = null);

/// <summary>A write's place in the outbox and, once the server decided, its verdict; <see cref="Redacted"/> counts the
/// secrets removed from it by kind.</summary>
internal sealed record QueuedWrite(
    string ClientId,
    string State,
    string? EntityId = null,
    string? DraftId = null,
    string? ReasonCode = null,
    string? Message = null,
    IReadOnlyDictionary<string, int>? Redacted = null)
{
    public bool Decided => State is "accepted" or "draft" or "rejected";

    public static QueuedWrite From(OutboxItem item, IReadOnlyDictionary<string, int>? redacted = null) => new(
        item.ClientId, item.State.ToString().ToLowerInvariant(), item.EntityId, item.DraftId, item.ReasonCode, item.ReasonMessage, redacted);
}
