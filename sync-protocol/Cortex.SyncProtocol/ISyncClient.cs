namespace Cortex.SyncProtocol;

/// <summary>The replica's methods, called by the server (the <c>T</c> of <c>Hub&lt;T&gt;</c>).</summary>
public interface ISyncClient
{
    Task HeadAdvanced(HeadAdvanced message);

    /// <summary>An incremental <see cref="DocumentMessageKind.Update"/> to a subscribed document.</summary>
    Task DocumentUpdated(DocumentSyncMessage update);

    Task Purge(PurgeInstruction purge);

    Task EpochReset(EpochReset reset);
}
