namespace Cortex.SyncProtocol;

/// <summary>
/// The server's hub methods, called by a replica. Invocations from one connection run one at a time (SignalR's
/// default), which keeps uploads in order. No CancellationToken parameters: SignalR binds them only for streaming
/// methods; the client cancels through <c>HubConnection.InvokeAsync</c>'s token.
/// </summary>
public interface ISyncHub
{
    /// <summary>Must be the first call. Never throws for an unsupported version: answers
    /// <see cref="HelloStatus.IncompatibleVersion"/> (see <see cref="ProtocolVersion.CheckCompatibility"/>).</summary>
    Task<HelloResult> Hello(Hello hello);

    Task<ChangeBatch> PullChanges(PullRequest request);

    Task<UploadResult> Upload(OutboxUpload upload);

    /// <summary>Sends the replica's <see cref="DocumentMessageKind.SyncStep1"/>; answers with the server's
    /// <see cref="DocumentMessageKind.SyncStep2"/> and subscribes the connection to the document's updates.</summary>
    Task<DocumentSyncMessage> SyncDocument(DocumentSyncMessage step1);

    Task UnsubscribeDocument(string documentId);

    Task Heartbeat(Heartbeat heartbeat);
}
