using System.Runtime.CompilerServices;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Structs;

/// <summary>An inserted run of content with YATA neighbours and origins.</summary>
public sealed class Item : AbstractStruct
{
    private const byte KeepFlag = 1;
    private const byte CountableFlag = 2;
    private const byte DeletedFlag = 4;
    private const byte MarkerFlag = 8;

    private byte _info;

    internal Item(long client, long clock, Item? left, Id? origin, Item? right, Id? rightOrigin, AbstractType? parent, string? parentSub, Content content)
        : base(client, clock, content.Length)
    {
        Left = left;
        Origin = origin;
        Right = right;
        RightOrigin = rightOrigin;
        Parent = parent;
        ParentSub = parentSub;
        Content = content;
        _info = content.Countable ? CountableFlag : (byte)0;
    }

    public Item? Left { get; internal set; }

    public Item? Right { get; internal set; }

    public Id? Origin { get; internal set; }

    public Id? RightOrigin { get; internal set; }

    /// <summary>The parent type once known; null while the item only carries a parent reference from the wire.</summary>
    public AbstractType? Parent { get; internal set; }

    /// <summary>Parent given on the wire as the id of the item holding the type (before resolution or without a document).</summary>
    public Id? ParentId { get; internal set; }

    /// <summary>Parent given on the wire as a root type name (only used without a document).</summary>
    public string? ParentName { get; internal set; }

    public string? ParentSub { get; internal set; }

    public Content Content { get; internal set; }

    public Id LastId => new(Client, Clock + Length - 1);

    public override bool Deleted => (_info & DeletedFlag) != 0;

    public bool Countable => (_info & CountableFlag) != 0;

    public bool Keep
    {
        get => (_info & KeepFlag) != 0;
        internal set => _info = value ? (byte)(_info | KeepFlag) : (byte)(_info & ~KeepFlag);
    }

    internal bool Marker
    {
        get => (_info & MarkerFlag) != 0;
        set => _info = value ? (byte)(_info | MarkerFlag) : (byte)(_info & ~MarkerFlag);
    }

    /// <summary>True when the item is counted in its parent's length (countable and not deleted).</summary>
    internal bool Visible
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_info & (CountableFlag | DeletedFlag)) == CountableFlag;
    }

    /// <summary>Next non-deleted item to the right.</summary>
    public Item? Next
    {
        get
        {
            var n = Right;
            while (n != null && n.Deleted)
            {
                n = n.Right;
            }

            return n;
        }
    }

    /// <summary>Previous non-deleted item to the left.</summary>
    public Item? Prev
    {
        get
        {
            var n = Left;
            while (n != null && n.Deleted)
            {
                n = n.Left;
            }

            return n;
        }
    }

    internal void MarkDeleted() => _info |= DeletedFlag;

    /// <summary>
    /// Returns the client whose missing state blocks integration, or null once origins and parent are resolved.
    /// </summary>
    internal long? GetMissing(Transaction transaction, StructStore store)
    {
        if (Origin is { } o && o.Client != Client && o.Clock >= store.GetState(o.Client))
        {
            return o.Client;
        }

        if (RightOrigin is { } ro && ro.Client != Client && ro.Clock >= store.GetState(ro.Client))
        {
            return ro.Client;
        }

        if (ParentId is { } pid && Client != pid.Client && pid.Clock >= store.GetState(pid.Client))
        {
            return pid.Client;
        }

        AbstractStruct? leftStruct = null;
        if (Origin is { } origin)
        {
            leftStruct = store.GetItemCleanEnd(transaction, origin);
            Left = leftStruct as Item;
            Origin = new Id(leftStruct.Client, leftStruct.Clock + leftStruct.Length - 1);
        }

        AbstractStruct? rightStruct = null;
        if (RightOrigin is { } rightOrigin)
        {
            rightStruct = store.GetItemCleanStart(transaction, rightOrigin);
            Right = rightStruct as Item;
            RightOrigin = rightStruct.Id;
        }

        if (leftStruct is GcStruct || rightStruct is GcStruct)
        {
            MarkParentGc();
        }
        else if (Parent == null && ParentId == null)
        {
            if (Left != null)
            {
                Parent = Left.Parent;
                ParentSub = Left.ParentSub;
            }

            if (Right != null)
            {
                Parent = Right.Parent;
                ParentSub = Right.ParentSub;
            }
        }
        else if (ParentId is { } parentId)
        {
            var parentItem = store.Find(parentId);
            ParentId = null;
            Parent = parentItem is Item { Content: ContentType ct } ? ct.Type : null;
        }

        return null;
    }

    private void MarkParentGc()
    {
        Parent = null;
        ParentId = null;
        _parentGcd = true;
    }

    private bool _parentGcd;

    internal override void Integrate(Transaction transaction, int offset)
    {
        var store = transaction.Doc.Store;
        if (offset > 0)
        {
            Clock += offset;
            Left = store.GetItemCleanEnd(transaction, new Id(Client, Clock - 1)) as Item;
            Origin = Left?.LastId ?? new Id(Client, Clock - 1);
            Content = Content.Splice(offset);
            Length -= offset;
        }

        var parent = _parentGcd ? null : Parent;
        if (parent == null)
        {
            new GcStruct(Client, Clock, Length).Integrate(transaction, 0);
            return;
        }

        if (Content is ContentType && parent.Depth >= AbstractType.MaxNestingDepth)
        {
            throw new InvalidOperationException("Shared types are nested too deeply");
        }

        if ((Left == null && (Right == null || Right.Left != null)) || (Left != null && Left.Right != Right))
        {
            var left = Left;
            Item? o;
            if (left != null)
            {
                o = left.Right;
            }
            else if (ParentSub != null)
            {
                parent.MapItems.TryGetValue(ParentSub, out o);
                while (o?.Left != null)
                {
                    o = o.Left;
                }
            }
            else
            {
                o = parent.Start;
            }

            HashSet<Item>? conflicting = null;
            HashSet<Item>? beforeOrigin = null;
            while (o != null && o != Right)
            {
                beforeOrigin ??= [];
                conflicting ??= [];
                beforeOrigin.Add(o);
                conflicting.Add(o);
                if (Origin == o.Origin)
                {
                    if (o.Client < Client)
                    {
                        left = o;
                        conflicting.Clear();
                    }
                    else if (RightOrigin == o.RightOrigin)
                    {
                        break;
                    }
                }
                else if (o.Origin is { } oo && store.Find(oo) is Item oi && beforeOrigin.Contains(oi))
                {
                    if (!conflicting.Contains(oi))
                    {
                        left = o;
                        conflicting.Clear();
                    }
                }
                else
                {
                    break;
                }

                o = o.Right;
            }

            Left = left;
        }

        if (Left != null)
        {
            var right = Left.Right;
            Right = right;
            Left.Right = this;
        }
        else
        {
            Item? r;
            if (ParentSub != null)
            {
                parent.MapItems.TryGetValue(ParentSub, out r);
                while (r?.Left != null)
                {
                    r = r.Left;
                }
            }
            else
            {
                r = parent.Start;
                parent.Start = this;
            }

            Right = r;
        }

        if (Right != null)
        {
            Right.Left = this;
        }
        else if (ParentSub != null)
        {
            parent.MapItems[ParentSub] = this;
            Left?.Delete(transaction);
        }

        if (ParentSub == null && Countable && !Deleted)
        {
            parent.Length += Length;
        }

        store.AddStruct(this);
        Content.Integrate(transaction, this);
        transaction.AddChangedType(parent, ParentSub);
        if ((parent.Item != null && parent.Item.Deleted) || (ParentSub != null && Right != null))
        {
            Delete(transaction);
        }
    }

    internal void Delete(Transaction transaction)
    {
        if (Deleted)
        {
            return;
        }

        var parent = Parent!;
        if (Countable && ParentSub == null)
        {
            parent.Length -= Length;
        }

        MarkDeleted();
        transaction.DeleteSet.Add(Client, Clock, Length);
        transaction.AddChangedType(parent, ParentSub);
        Content.Delete(transaction);
    }

    internal void Gc(StructStore store, bool parentGcd)
    {
        if (!Deleted)
        {
            throw new InvalidOperationException("Only deleted items can be garbage-collected");
        }

        Content.Gc(store);
        if (parentGcd)
        {
            store.ReplaceStruct(this, new GcStruct(Client, Clock, Length));
        }
        else
        {
            Content = new ContentDeleted(Length);
        }
    }

    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is Item r
            && r.Origin == LastId
            && Right == r
            && RightOrigin == r.RightOrigin
            && Client == r.Client
            && Clock + Length == r.Clock
            && Deleted == r.Deleted
            && Content.GetType() == r.Content.GetType()
            && Content.MergeWith(r.Content))
        {
            var markers = Parent?.SearchMarkers;
            if (markers != null)
            {
                foreach (var marker in markers)
                {
                    if (marker.Item == r)
                    {
                        marker.Item = this;
                        if (Visible)
                        {
                            marker.Index -= Length;
                        }
                    }
                }
            }

            if (r.Keep)
            {
                Keep = true;
            }

            Right = r.Right;
            if (Right != null)
            {
                Right.Left = this;
            }

            Length += r.Length;
            return true;
        }

        return false;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        Id? origin = offset > 0 ? new Id(Client, Clock + offset - 1) : Origin;
        var info = (Content.Ref & 0x1F)
            | (origin == null ? 0 : 0x80)
            | (RightOrigin == null ? 0 : 0x40)
            | (ParentSub == null ? 0 : 0x20);
        writer.WriteByte((byte)info);
        if (origin is { } o)
        {
            writer.WriteVarUint(o.Client);
            writer.WriteVarUint(o.Clock);
        }

        if (RightOrigin is { } ro)
        {
            writer.WriteVarUint(ro.Client);
            writer.WriteVarUint(ro.Clock);
        }

        if (origin == null && RightOrigin == null)
        {
            if (Parent != null)
            {
                if (Parent.Item == null)
                {
                    writer.WriteVarUint(1);
                    writer.WriteString(Parent.RootName ?? throw new InvalidOperationException("Root type without a name"));
                }
                else
                {
                    writer.WriteVarUint(0);
                    writer.WriteVarUint(Parent.Item.Client);
                    writer.WriteVarUint(Parent.Item.Clock);
                }
            }
            else if (ParentName != null)
            {
                writer.WriteVarUint(1);
                writer.WriteString(ParentName);
            }
            else if (ParentId is { } pid)
            {
                writer.WriteVarUint(0);
                writer.WriteVarUint(pid.Client);
                writer.WriteVarUint(pid.Clock);
            }
            else
            {
                throw new InvalidOperationException("Item without parent information");
            }

            if (ParentSub != null)
            {
                writer.WriteString(ParentSub);
            }
        }

        Content.Write(writer, offset);
    }

    /// <summary>Splits this item at <paramref name="diff"/>; the caller inserts the returned right part into the store.</summary>
    internal Item Split(Transaction? transaction, int diff)
    {
        var right = new Item(Client, Clock + diff, this, new Id(Client, Clock + diff - 1), Right, RightOrigin, Parent, ParentSub, Content.Splice(diff))
        {
            ParentId = ParentId,
            ParentName = ParentName,
        };
        if (Deleted)
        {
            right.MarkDeleted();
        }

        if (Keep)
        {
            right.Keep = true;
        }

        Right = right;
        if (right.Right != null)
        {
            right.Right.Left = right;
        }

        transaction?.MergeStructs.Add(right);
        if (right.ParentSub != null && right.Right == null && right.Parent != null)
        {
            right.Parent.MapItems[right.ParentSub] = right;
        }

        Length = diff;
        return right;
    }
}
