namespace Cortex.Crdt.Protocol;

/// <summary>y-protocols sync message types (the first varUint of a sync message).</summary>
public enum SyncMessageType
{
    SyncStep1 = 0,
    SyncStep2 = 1,
    Update = 2,
}
