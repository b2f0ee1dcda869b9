namespace Cortex.SyncProtocol;

/// <summary>The y-protocols sync message types, with their numbers in y-protocols' <c>sync.js</c>.</summary>
public enum DocumentMessageKind
{
    /// <summary>Payload: the sender's state vector (Yjs <c>encodeStateVector</c>).</summary>
    SyncStep1 = 0,
    /// <summary>Payload: the update holding everything the receiver's state vector lacked (<c>encodeStateAsUpdate</c>).</summary>
    SyncStep2 = 1,
    /// <summary>Payload: one incremental update (Yjs update format v1).</summary>
    Update = 2,
}
