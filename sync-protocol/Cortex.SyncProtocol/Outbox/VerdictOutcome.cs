namespace Cortex.SyncProtocol;

public enum VerdictOutcome
{
    Accepted = 0,
    /// <summary>The draft gate turned the write into a draft awaiting review.</summary>
    ConvertedToDraft = 1,
    /// <summary>Final: retrying the same mutation gets the same answer.</summary>
    Rejected = 2,
}
