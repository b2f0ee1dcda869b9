namespace Cortex.Crdt.Structs;

/// <summary>A unique position in the document: (client, clock). Clients are up to 53 bits.</summary>
public readonly record struct Id(long Client, long Clock)
{
    public override string ToString() => $"{Client}:{Clock}";
}
