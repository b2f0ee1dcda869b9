namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>
/// Applies one kind of uploaded outbox mutation inside the transaction <see cref="MutationApplier"/> opened for it.
/// Throw <c>CortexException</c> to reject: the applier rolls back and records the rejection with its reason.
/// </summary>
internal interface IMutationHandler
{
    /// <summary>The mutation kind handled, one of <c>Cortex.SyncProtocol.MutationKinds</c>.</summary>
    string Kind { get; }

    Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken);
}
