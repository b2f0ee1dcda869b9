namespace Cortex.SyncProtocol;

/// <summary>
/// The server's hub methods, called by a replica. Invocations from one connection run one at a time (SignalR's
/// default), which keeps uploads in order; the live stream runs beside them. No CancellationToken parameters except on
/// the stream: SignalR binds them only for streaming methods; the client cancels through <c>HubConnection.InvokeAsync</c>'s token.
/// </summary>
public interface ISyncHub
{
    /// <summary>Must be the first call. Never throws for an unsupported version: answers
    /// <see cref="HelloStatus.IncompatibleVersion"/> (see <see cref="ProtocolVersion.CheckCompatibility"/>).</summary>
    Task<HelloResult> Hello(Hello hello);

    Task<ChangeBatch> PullChanges(PullRequest request);

    /// <summary>
    /// The live form of <see cref="PullChanges"/> for a caught-up replica: a stream of pages starting after the
    /// request's cursor, each sent as soon as the feed's head passes the previous one, forever. Pages follow each other
    /// without gaps. A purge goes out before the page it precedes, as with pulls, and again before every page until a
    /// pull's applied cursor confirms it (the replica pulls once it has applied one). Fails as a pull does (epoch
    /// mismatch). One per connection: opening another ends this one.
    /// </summary>
    IAsyncEnumerable<ChangeBatch> StreamChanges(PullRequest request, CancellationToken cancellationToken);

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
