namespace Cortex.SyncProtocol;

public enum ChangeOperation
{
    /// <summary>Created or updated: the payload is the entity's full current state.</summary>
    Upsert = 0,
    Delete = 1,
}
