namespace Cortex.SharedModel.Content;

public enum SubcortexState
{
    Proposed,
    Active,
    Archived,
    Merged,
    Declined,
}
