using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Sync;

/// <summary>What the hello established for one hub connection, kept in <c>HubCallerContext.Items</c>.</summary>
internal sealed record SyncConnection(Principal Principal, string KeyId, string ReplicaId, long Epoch, bool Bootstrapping);
