using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// The replicas' hub at <see cref="SyncHubRoutes.Path"/> (issue 4). Authenticated by API key like the REST API; a
/// connection must say hello first. Pulls serve the same filtered change feed as <c>GET /api/v1/changes</c>.
/// </summary>
// The web's co-editor connects with its session cookie (document methods only need a caller; see DECISIONS.md).
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName + "," + Sessions.SessionAuthenticationHandler.SchemeName)]
internal sealed partial class SyncHub(
    ChangeFeedReader feed,
    FeedPayloads payloads,
    MutationApplier mutations,
    SyncEpochs epochs,
    ReplicaScopes scopes,
    ReplicaRegistry registry,
    FeedHead feedHead,
    TimeProvider time,
    Documents.DocumentService documents,
    Documents.DocumentSubscriptions subscriptions,
    ILogger<SyncHub> logger) : Hub<ISyncClient>, ISyncHub
{
    public const int MaxUploadBatch = 500;

    public static string PrincipalGroup(string principalId) => "principal:" + principalId;

    public async Task<HelloResult> Hello(Hello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (ProtocolVersion.CheckCompatibility(hello.ProtocolVersion) is { } incompatible)
        {
            return incompatible;
        }

        var (principal, keyId) = Caller();
        var (epoch, head) = await epochs.GetAsync(principal.Id, Context.ConnectionAborted);
        if (hello.PrincipalId != principal.Id)
        {
            return Answer(HelloStatus.PrincipalMismatch, epoch, head,
                $"the replica holds data of principal {hello.PrincipalId} but the key belongs to {principal.Id}; reset the replica");
        }

        if (string.IsNullOrWhiteSpace(hello.ReplicaId) || hello.ReplicaId.Length > 64)
        {
            throw new HubException("The hello's replica id must be a ULID.");
        }

        Context.Items[typeof(SyncConnection)] = new SyncConnection(principal, keyId, hello.ReplicaId, epoch, hello.Cursor == 0, hello.ProtocolVersion);
        Context.Items[typeof(ScopeCheckpoint)] = new ScopeCheckpoint();
        Context.Items[typeof(LiveStreamSlot)] = new LiveStreamSlot();
        await Groups.AddToGroupAsync(Context.ConnectionId, PrincipalGroup(principal.Id), Context.ConnectionAborted);
        registry.Connected(principal.Id, epoch);
        Log.ReplicaHello(logger, hello.ReplicaId, principal.Id, hello.Cursor, hello.Epoch);
        return hello.Epoch == epoch
            ? Answer(HelloStatus.Accepted, epoch, head, null)
            : Answer(HelloStatus.ResetRequired, epoch, head, $"the replica is at epoch {hello.Epoch}; the server is at {epoch}");
    }

    public async Task<ChangeBatch> PullChanges(PullRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = Hello() ?? throw new HubException("hello_required: call Hello first");
        return await ReadBatchAsync(connection, request, Context.ConnectionAborted);
    }

    /// <summary>
    /// One page of the principal's feed after the request's cursor, with the scope refresh that goes with it: purges
    /// sent ahead of the batch when access shrank (again on every page until the applied cursor confirms them), an epoch
    /// bump when it grew over content behind the cursor.
    /// </summary>
    private async Task<ChangeBatch> ReadBatchAsync(SyncConnection connection, PullRequest request, CancellationToken cancellationToken)
    {
        if (request.After < 0)
        {
            throw new HubException("The cursor must be a feed position (0 or more).");
        }

        if (request.Applied is { } applied && (applied < 0 || applied > request.After))
        {
            throw new HubException("The applied cursor must be a feed position no later than the pull's cursor.");
        }

        var limit = Math.Clamp(request.MaxChanges, 1, ChangeFeedReader.MaxLimit);
        var checkpoint = (ScopeCheckpoint)Context.Items[typeof(ScopeCheckpoint)]!;
        await checkpoint.Gate.WaitAsync(cancellationToken);
        try
        {
            // The epoch comes with the page (one snapshot), so a bump made since the hello refuses this pull.
            var (page, epoch, accessVersion) = await feed.ReadForReplicaAsync(connection.Principal, request.After, limit, cancellationToken);
            if (request.Epoch != epoch)
            {
                throw new HubException($"epoch_mismatch: the replica pulled at epoch {request.Epoch}; the server is at {epoch}");
            }

            connection = connection with { Epoch = epoch };
            // Access is checked after the batch is read: a loss seen now is purged before the batch arrives (the purge's
            // fence keeps the batch from bringing the scope back); a gain seen now is checked against what the batch covers.
            // A prefetching replica pulls past what it has applied; only the applied cursor confirms purges.
            var refresh = await scopes.RefreshAsync(
                connection.Principal, connection.ReplicaId, request.Applied ?? request.After, page.Next, [.. page.Changes.Select(c => c.Position)],
                accessVersion, checkpoint, cancellationToken);
            if (refresh.Lost.Count > 0)
            {
                Log.ReplicaPurged(logger, connection.ReplicaId, refresh.Lost.Count);
                foreach (var group in refresh.Lost.GroupBy(l => l.LostAt))
                {
                    await Clients.Caller.Purge(new PurgeInstruction
                    {
                        Epoch = connection.Epoch,
                        AtPosition = group.Key + 1,
                        Scopes = [.. group.Select(l => new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = l.SubcortexId })],
                        Reason = "access to the subcortex was removed",
                    });
                }
            }

            if (refresh.MissedContent)
            {
                // Regained access: the older changes lie behind the cursor, so only a re-bootstrap brings them.
                const string reason = "access to a subcortex was granted";
                var bumped = await epochs.BumpAsync(connection.Principal.Id, reason, cancellationToken);
                Log.EpochBumped(logger, connection.Principal.Id, bumped, reason);
                registry.Connected(connection.Principal.Id, bumped);
                await Clients.Group(PrincipalGroup(connection.Principal.Id)).EpochReset(new EpochReset { NewEpoch = bumped, Reason = reason });
                throw new HubException($"epoch_mismatch: {reason}; the server is now at epoch {bumped}");
            }

            var changes = await payloads.LoadAsync(page.Changes, cancellationToken);
            if (!connection.TakesPackedEmbeddings)
            {
                changes = [.. changes.Select(c => c.PackedEmbedding is { } packed ? c with { PackedEmbedding = null, Embedding = PackedEmbedding.Unpack(packed) } : c)];
            }

            return new ChangeBatch
            {
                Epoch = connection.Epoch,
                After = request.After,
                UpTo = page.Next,
                Changes = changes,
                HasMore = page.Next < page.Head,
                Head = page.Head,
                // Positions stand in for items: the filtered total is unknown without reading the whole feed.
                Progress = connection.Bootstrapping ? new BootstrapProgress { ItemsSent = page.Next, TotalEstimate = page.Head } : null,
            };
        }
        finally
        {
            checkpoint.Gate.Release();
        }
    }

    public async Task<UploadResult> Upload(OutboxUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var connection = await CurrentAsync();
        if (upload.Mutations.Count > MaxUploadBatch)
        {
            throw new HubException($"At most {MaxUploadBatch} mutations per upload.");
        }

        var http = Context.GetHttpContext();
        var actor = new Actor(connection.Principal.Id, connection.KeyId, "HUB", SyncHubRoutes.Path + "/Upload",
            http?.Connection.RemoteIpAddress?.ToString());
        return new UploadResult { Verdicts = await mutations.ApplyAllAsync(connection.Principal, actor, upload.Mutations, Context.ConnectionAborted) };
    }

    public async Task Heartbeat(Heartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var connection = await CurrentAsync();
        registry.Report(connection.Principal.Id, heartbeat with { ReplicaId = connection.ReplicaId });
    }

    private (Principal Principal, string KeyId) Caller()
    {
        var authenticated = Context.GetHttpContext()?.Features.Get<AuthenticatedPrincipal>()
            ?? throw new HubException("unauthenticated: send an API key as 'Authorization: Bearer <key>'");
        return (authenticated.Principal, authenticated.KeyId);
    }

    /// <summary>The hello's state, with the epoch re-read so a bump made since refuses stale uploads.</summary>
    private async Task<SyncConnection> CurrentAsync()
    {
        if (Hello() is { } connection)
        {
            var (epoch, _) = await epochs.GetAsync(connection.Principal.Id, Context.ConnectionAborted);
            return connection with { Epoch = epoch };
        }

        throw new HubException("hello_required: call Hello first");
    }

    private SyncConnection? Hello() =>
        Context.Items.TryGetValue(typeof(SyncConnection), out var value) && value is SyncConnection connection ? connection : null;

    private static HelloResult Answer(HelloStatus status, long epoch, long head, string? message) => new()
    {
        Status = status,
        ServerProtocolVersion = ProtocolVersion.Current,
        MinimumSupportedVersion = ProtocolVersion.MinimumSupported,
        Epoch = epoch,
        Head = head,
        Message = message,
    };
}
