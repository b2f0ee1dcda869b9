using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync;

/// <summary>What the hello established for one hub connection, kept in <c>HubCallerContext.Items</c>.</summary>
internal sealed record SyncConnection(Principal Principal, string KeyId, string ReplicaId, long Epoch, bool Bootstrapping, int ProtocolVersion)
{
    /// <summary>Protocol 2 replicas take embeddings as <see cref="EntityChange.PackedEmbedding"/>.</summary>
    public bool TakesPackedEmbeddings => ProtocolVersion >= 2;
}
