using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Structs;

/// <summary>Base of Item, GC and Skip: a run of <see cref="Length"/> clocks of one client.</summary>
public abstract class AbstractStruct
{
    protected AbstractStruct(long client, long clock, int length)
    {
        Client = client;
        Clock = clock;
        Length = length;
    }

    public long Client { get; internal set; }

    public long Clock { get; internal set; }

    public int Length { get; internal set; }

    public Id Id => new(Client, Clock);

    public abstract bool Deleted { get; }

    internal abstract bool MergeWith(AbstractStruct right);

    internal abstract void Write(Lib0Writer writer, int offset);

    internal abstract void Integrate(Transaction transaction, int offset);
}

/// <summary>A garbage-collected run: only its length survives (info ref 0).</summary>
public sealed class GcStruct : AbstractStruct
{
    public GcStruct(long client, long clock, int length)
        : base(client, clock, length)
    {
    }

    public override bool Deleted => true;

    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is not GcStruct)
        {
            return false;
        }

        Length += right.Length;
        return true;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteByte(0);
        writer.WriteVarUint(Length - offset);
    }

    internal override void Integrate(Transaction transaction, int offset)
    {
        if (offset > 0)
        {
            Clock += offset;
            Length -= offset;
        }

        transaction.Doc.Store.AddStruct(this);
    }
}

/// <summary>A gap in a merged update (info ref 10); never integrated into a document.</summary>
public sealed class SkipStruct : AbstractStruct
{
    public SkipStruct(long client, long clock, int length)
        : base(client, clock, length)
    {
    }

    public override bool Deleted => true;

    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is not SkipStruct)
        {
            return false;
        }

        Length += right.Length;
        return true;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteByte(10);
        writer.WriteVarUint(Length - offset);
    }

    internal override void Integrate(Transaction transaction, int offset) =>
        throw new InvalidOperationException("Skip structs are never integrated");
}
