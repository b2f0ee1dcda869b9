namespace Cortex.Replica;

/// <summary>A sync message the replica must not apply; the daemon reports it and re-pulls or resets, never skips.</summary>
public class ReplicaSyncException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The batch starts after the replica's cursor: applying it would skip changes.</summary>
public sealed class FeedGapException(long cursor, long batchAfter)
    : ReplicaSyncException($"The batch starts after position {batchAfter} but the replica's cursor is {cursor}; applying it would skip changes.")
{
    public long Cursor { get; } = cursor;

    public long BatchAfter { get; } = batchAfter;
}

/// <summary>The message belongs to another epoch than the replica's.</summary>
public sealed class EpochMismatchException(long replicaEpoch, long messageEpoch)
    : ReplicaSyncException($"The message is for epoch {messageEpoch} but the replica is at epoch {replicaEpoch}.")
{
    public long ReplicaEpoch { get; } = replicaEpoch;

    public long MessageEpoch { get; } = messageEpoch;
}

/// <summary>The batch contradicts itself (range, order, payload); nothing of it was applied.</summary>
public sealed class MalformedBatchException(string message, Exception? innerException = null) : ReplicaSyncException(message, innerException);
