namespace Cortex.Replica;

/// <summary>The <c>sync_state</c> row: where the replica stands in its feed.</summary>
public sealed record SyncState(
    string ReplicaId,
    string? ServerUrl,
    string? PrincipalId,
    long Epoch,
    long Cursor,
    long Head,
    DateTimeOffset? LagSince,
    DateTimeOffset? LastSyncAt,
    long? BootstrapItemsSent,
    long? BootstrapTotalEstimate,
    int ResetCount);
