namespace Cortex.SyncProtocol;

public enum PurgeScopeKind
{
    /// <summary>Everything whose visibility the subcortex governs (<see cref="EntityChange.SubcortexId"/>).</summary>
    Subcortex = 0,
    /// <summary>Every entity of one feed entity name, e.g. all notifications.</summary>
    EntityKind = 1,
}
