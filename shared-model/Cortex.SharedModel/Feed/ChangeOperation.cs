namespace Cortex.SharedModel.Feed;

public enum ChangeOperation
{
    Created,
    Updated,
    Deleted,
}
