namespace Cortex.SyncProtocol;

/// <summary>The replica's methods, called by the server (the <c>T</c> of <c>Hub&lt;T&gt;</c>).</summary>
public interface ISyncClient
{
    Task HeadAdvanced(HeadAdvanced message);

    /// <summary>An incremental <see cref="DocumentMessageKind.Update"/> to a subscribed document.</summary>
    Task DocumentUpdated(DocumentSyncMessage update);

    /// <summary>Another subscriber's presence on a document (a y-protocols awareness update).</summary>
    Task AwarenessUpdated(AwarenessMessage awareness);

    Task Purge(PurgeInstruction purge);

    Task EpochReset(EpochReset reset);
}
