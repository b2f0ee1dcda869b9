using Cortex.SyncProtocol;

namespace Cortex.Replica;

public sealed partial class ReplicaStore
{
    /// <summary>The hello for a new connection, from the stored principal, replica id, cursor and epoch.</summary>
    /// <exception cref="InvalidOperationException"><see cref="SetConnection"/> has not recorded a principal yet.</exception>
    public Hello CreateHello(string? clientName = null)
    {
        var state = GetSyncState();
        return new Hello
        {
            ProtocolVersion = ProtocolVersion.Current,
            PrincipalId = state.PrincipalId ?? throw new InvalidOperationException("The replica has no principal yet; call SetConnection first."),
            ReplicaId = state.ReplicaId,
            Cursor = state.Cursor,
            Epoch = state.Epoch,
            ClientName = clientName,
        };
    }

    /// <summary>The request for the changes after the cursor.</summary>
    public PullRequest CreatePullRequest(int maxChanges)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChanges, 1);
        var state = GetSyncState();
        return new PullRequest { Epoch = state.Epoch, After = state.Cursor, MaxChanges = maxChanges };
    }
}
