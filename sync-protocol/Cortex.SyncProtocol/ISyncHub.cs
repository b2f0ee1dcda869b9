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

    /// <summary>Sends the client's <see cref="DocumentMessageKind.SyncStep1"/>; answers with the server's step 2 and
    /// step 1 and subscribes the connection to the document's updates (<see cref="ISyncClient.DocumentUpdated"/>).
    /// Document methods need no hello. Refusals are <c>HubException</c>s coded as in <see cref="DocumentErrors"/>.</summary>
    Task<DocumentSyncAnswer> SyncDocument(DocumentSyncMessage step1);

    /// <summary>An incremental <see cref="DocumentMessageKind.Update"/>: stored, materialized into the owning entity's
    /// body and relayed to the document's other subscribers before the call completes.</summary>
    Task PushDocumentUpdate(DocumentSyncMessage update);

    Task UnsubscribeDocument(string documentId);

    /// <summary>Presence: relayed to the document's other subscribers as <see cref="ISyncClient.AwarenessUpdated"/>;
    /// the server removes the sender's awareness states when it unsubscribes or disconnects.</summary>
    Task UpdateAwareness(AwarenessMessage awareness);

    Task Heartbeat(Heartbeat heartbeat);
}
