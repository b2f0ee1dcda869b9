namespace Cortex.Replica;

public enum ApplyOutcome
{
    /// <summary>The batch's changes after the cursor were applied and the cursor moved to the batch's end.</summary>
    Applied,
    /// <summary>The cursor already covered the whole batch; nothing changed.</summary>
    AlreadyApplied,
}

/// <summary>The result of applying a batch. <c>ChangesApplied</c> counts the changes written: those at or below the
/// cursor, or fenced off by a purge, are not.</summary>
public sealed record ApplyResult(ApplyOutcome Outcome, long Cursor, int ChangesApplied);

public sealed record PurgeResult(int ItemsDeleted, int DocumentsDeleted);

/// <summary>The result of an epoch reset. <c>Performed</c> is false when the replica was already at the epoch (a
/// repeated reset) or past it; <c>RecentResets</c> counts the resets within the loop-detection window.</summary>
public sealed record EpochResetResult(bool Performed, long Epoch, int TotalResets, int RecentResets, bool LoopSuspected);
