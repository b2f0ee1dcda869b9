using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>One delta operation: insert (string, embed, type or a list of values), retain or delete.</summary>
public sealed record DeltaOp
{
    public object? Insert { get; init; }

    public int? Retain { get; init; }

    public int? Delete { get; init; }

    public JsObject? Attributes { get; init; }

    public JsObject ToJson()
    {
        var o = new JsObject();
        if (Retain is { } r)
        {
            o["retain"] = (long)r;
        }
        else if (Delete is { } d)
        {
            o["delete"] = (long)d;
        }
        else
        {
            o["insert"] = Insert is List<object?> list ? list.ConvertAll(AbstractType.ValueToJson) : AbstractType.ValueToJson(Insert);
        }

        if (Attributes != null)
        {
            o["attributes"] = Attributes;
        }

        return o;
    }
}

public enum KeyChangeAction
{
    Add,
    Update,
    Delete,
}

public sealed record KeyChange(KeyChangeAction Action, object? OldValue);

/// <summary>What changed on one type in one transaction.</summary>
public class YEvent
{
    private Dictionary<string, KeyChange>? _keys;
    private List<DeltaOp>? _delta;
    private List<object>? _path;

    internal YEvent(AbstractType target, Transaction transaction)
    {
        Target = target;
        CurrentTarget = target;
        Transaction = transaction;
    }

    public AbstractType Target { get; }

    public AbstractType CurrentTarget { get; internal set; }

    public Transaction Transaction { get; }

    /// <summary>Path from <see cref="CurrentTarget"/> to <see cref="Target"/>: map keys and list indexes.</summary>
    public IReadOnlyList<object> Path => _path ??= PathTo(CurrentTarget, Target);

    internal void ResetPath() => _path = null;

    public bool Deletes(AbstractStruct s) => Transaction.DeleteSet.IsDeleted(s.Id);

    public bool Adds(AbstractStruct s) => s.Clock >= Transaction.BeforeStateOf(s.Client);

    private static List<object> PathTo(AbstractType parent, AbstractType child)
    {
        var path = new List<object>();
        while (child.Item != null && child != parent)
        {
            if (child.Item.ParentSub != null)
            {
                path.Insert(0, child.Item.ParentSub);
            }
            else
            {
                var i = 0;
                var c = child.Item.Parent!.Start;
                while (c != child.Item && c != null)
                {
                    if (c.Visible)
                    {
                        i += c.Length;
                    }

                    c = c.Right;
                }

                path.Insert(0, i);
            }

            child = child.Item.Parent!;
        }

        return path;
    }

    public IReadOnlyDictionary<string, KeyChange> Keys
    {
        get
        {
            if (_keys != null)
            {
                return _keys;
            }

            var keys = new Dictionary<string, KeyChange>();
            if (Transaction.Changed.TryGetValue(Target, out var changed))
            {
                foreach (var key in changed)
                {
                    if (key == null || !Target.MapItems.TryGetValue(key, out var item))
                    {
                        continue;
                    }

                    if (Adds(item))
                    {
                        var prev = item.Left;
                        while (prev != null && Adds(prev))
                        {
                            prev = prev.Left;
                        }

                        if (Deletes(item))
                        {
                            if (prev != null && Deletes(prev))
                            {
                                keys[key] = new KeyChange(KeyChangeAction.Delete, Last(prev));
                            }
                        }
                        else if (prev != null && Deletes(prev))
                        {
                            keys[key] = new KeyChange(KeyChangeAction.Update, Last(prev));
                        }
                        else
                        {
                            keys[key] = new KeyChange(KeyChangeAction.Add, JsUndefined.Value);
                        }
                    }
                    else if (Deletes(item))
                    {
                        keys[key] = new KeyChange(KeyChangeAction.Delete, Last(item));
                    }
                }
            }

            _keys = keys;
            return keys;
        }
    }

    private static object? Last(Item item)
    {
        var c = item.Content.GetContent();
        return c.Count > 0 ? c[^1] : JsUndefined.Value;
    }

    /// <summary>List changes as a delta (values for arrays; text events override this with a rich-text delta).</summary>
    public virtual IReadOnlyList<DeltaOp> Delta => _delta ??= ComputeListDelta();

    private List<DeltaOp> ComputeListDelta()
    {
        var delta = new List<DeltaOp>();
        if (!Transaction.Changed.TryGetValue(Target, out var changed) || !changed.Contains(null))
        {
            return delta;
        }

        List<object?>? insert = null;
        int retain = 0, delete = 0;
        var kind = 0;
        void Pack()
        {
            switch (kind)
            {
                case 1:
                    delta.Add(new DeltaOp { Insert = insert });
                    break;
                case 2:
                    delta.Add(new DeltaOp { Retain = retain });
                    break;
                case 3:
                    delta.Add(new DeltaOp { Delete = delete });
                    break;
            }
        }

        for (var item = Target.Start; item != null; item = item.Right)
        {
            if (item.Deleted)
            {
                if (Deletes(item) && !Adds(item))
                {
                    if (kind != 3)
                    {
                        Pack();
                        kind = 3;
                        delete = 0;
                    }

                    delete += item.Length;
                }
            }
            else if (Adds(item))
            {
                if (kind != 1)
                {
                    Pack();
                    kind = 1;
                    insert = [];
                }

                insert!.AddRange(item.Content.GetContent());
            }
            else
            {
                if (kind != 2)
                {
                    Pack();
                    kind = 2;
                    retain = 0;
                }

                retain += item.Length;
            }
        }

        if (kind != 2)
        {
            Pack();
        }

        return delta;
    }
}

public sealed class YArrayEvent : YEvent
{
    internal YArrayEvent(AbstractType target, Transaction transaction)
        : base(target, transaction)
    {
    }
}

public sealed class YMapEvent : YEvent
{
    internal YMapEvent(AbstractType target, Transaction transaction, HashSet<string?> subs)
        : base(target, transaction)
    {
        KeysChanged = subs.Where(s => s != null).Select(s => s!).ToHashSet();
    }

    public IReadOnlySet<string> KeysChanged { get; }
}

/// <summary>Change on an XML fragment or element: children (list delta) and/or attributes (keys).</summary>
public sealed class YXmlEvent : YEvent
{
    internal YXmlEvent(AbstractType target, Transaction transaction, HashSet<string?> subs)
        : base(target, transaction)
    {
        ChildListChanged = subs.Contains(null);
        AttributesChanged = subs.Where(s => s != null).Select(s => s!).ToHashSet();
    }

    public bool ChildListChanged { get; }

    public IReadOnlySet<string> AttributesChanged { get; }
}
