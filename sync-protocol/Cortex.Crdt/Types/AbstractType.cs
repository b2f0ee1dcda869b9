using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>Base of all shared types: a list of items (<see cref="Start"/>) and a key→item map.</summary>
public abstract class AbstractType
{
    private List<Action<YEvent, Transaction>>? _observers;
    private List<Action<IReadOnlyList<YEvent>, Transaction>>? _deepObservers;

    /// <summary>The item holding this type, or null for a root type.</summary>
    public Item? Item { get; internal set; }

    public Doc? Doc { get; internal set; }

    internal string? RootName { get; set; }

    internal Item? Start { get; set; }

    internal Dictionary<string, Item> MapItems { get; } = [];

    /// <summary>Number of countable, non-deleted list elements (UTF-16 units for text).</summary>
    internal int Length { get; set; }

    internal List<SearchMarker>? SearchMarkers { get; set; }

    internal bool HasFormatting { get; set; }

    internal bool HasDeepObservers => _deepObservers is { Count: > 0 };

    /// <summary>The first item of the list content, deleted ones included.</summary>
    public Item? First => Start;

    public void Observe(Action<YEvent, Transaction> handler) => (_observers ??= []).Add(handler);

    public void Unobserve(Action<YEvent, Transaction> handler) => _observers?.Remove(handler);

    public void ObserveDeep(Action<IReadOnlyList<YEvent>, Transaction> handler) => (_deepObservers ??= []).Add(handler);

    public void UnobserveDeep(Action<IReadOnlyList<YEvent>, Transaction> handler) => _deepObservers?.Remove(handler);

    /// <summary>Deleting, GC and JSON recurse through nested types; deeper nesting than this is refused.</summary>
    internal const int MaxNestingDepth = 1000;

    /// <summary>0 for root types, parent depth + 1 for nested ones.</summary>
    internal int Depth { get; private set; }

    internal virtual void IntegrateInto(Doc doc, Item? item)
    {
        Doc = doc;
        Item = item;
        Depth = item?.Parent is { } parent ? parent.Depth + 1 : 0;
    }

    internal abstract AbstractType CopyEmpty();

    internal abstract void WriteTypeRef(Lib0Writer writer);

    public abstract object? ToJson();

    internal virtual void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        if (!transaction.Local && SearchMarkers != null)
        {
            SearchMarkers.Clear();
        }
    }

    /// <summary>True when an observer on this type or a deep observer on it or an ancestor would see an event.</summary>
    internal bool HasListeners
    {
        get
        {
            if (_observers is { Count: > 0 })
            {
                return true;
            }

            for (var type = this; type != null; type = type.Item?.Parent)
            {
                if (type.HasDeepObservers)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Records <paramref name="e"/> for deep observers up the parent chain and calls this type's observers.</summary>
    internal void CallTypeObservers(Transaction transaction, YEvent e)
    {
        var type = this;
        while (true)
        {
            if (!transaction.ChangedParentTypes.TryGetValue(type, out var list))
            {
                list = [];
                transaction.ChangedParentTypes[type] = list;
            }

            list.Add(e);
            if (type.Item == null)
            {
                break;
            }

            type = type.Item.Parent!;
        }

        if (_observers != null)
        {
            foreach (var handler in _observers.ToArray())
            {
                handler(e, transaction);
            }
        }
    }

    internal void CallDeepObservers(IReadOnlyList<YEvent> events, Transaction transaction)
    {
        foreach (var handler in _deepObservers!.ToArray())
        {
            handler(events, transaction);
        }
    }

    internal static AbstractType ReadTypeRef(Lib0Reader reader)
    {
        var typeRef = reader.ReadVarUint();
        return typeRef switch
        {
            0 => new YArray(),
            1 => new YMap(),
            2 => new YText(),
            3 => new YXmlElement(reader.ReadString()),
            4 => new YXmlFragment(),
            5 => new YXmlHook(reader.ReadString()),
            6 => new YXmlText(),
            _ => throw new CrdtFormatException($"Unknown type ref {typeRef}"),
        };
    }

    protected Doc RequireDoc() => Doc ?? throw new InvalidOperationException("Add the type to a document before using it");

    internal static object? ValueToJson(object? value) => value switch
    {
        AbstractType t => t.ToJson(),
        SubDocument d => d.ToJson(),
        _ => value,
    };

    // ---- list operations ----

    internal List<object?> ListToArray()
    {
        var result = new List<object?>(Length);
        for (var n = Start; n != null; n = n.Right)
        {
            if (n.Visible)
            {
                result.AddRange(n.Content.GetContent());
            }
        }

        return result;
    }

    internal object? ListGet(int index)
    {
        var marker = SearchMarker.Find(this, index);
        var n = Start;
        if (marker != null)
        {
            n = marker.Item;
            index -= marker.Index;
        }

        for (; n != null; n = n.Right)
        {
            if (n.Visible)
            {
                if (index < n.Length)
                {
                    return n.Content.GetContent()[index];
                }

                index -= n.Length;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }

    internal static Content ContentFor(object? value) => value switch
    {
        byte[] bytes => new ContentBinary(bytes),
        SubDocument doc => new ContentDoc(doc),
        AbstractType type => new ContentType(type),
        _ => new ContentAny([value]),
    };

    internal void ListInsertAfter(Transaction transaction, Item? reference, IReadOnlyList<object?> content)
    {
        var left = reference;
        var doc = transaction.Doc;
        var store = doc.Store;
        var right = reference == null ? Start : reference.Right;
        List<object?>? json = null;
        void PackJson()
        {
            if (json is { Count: > 0 })
            {
                left = new Item(doc.ClientId, store.GetState(doc.ClientId), left, left?.LastId, right, right?.Id, this, null, new ContentAny(json));
                left.Integrate(transaction, 0);
                json = null;
            }
        }

        foreach (var c in content)
        {
            if (c is byte[] or SubDocument or AbstractType)
            {
                PackJson();
                left = new Item(doc.ClientId, store.GetState(doc.ClientId), left, left?.LastId, right, right?.Id, this, null, ContentFor(c));
                left.Integrate(transaction, 0);
            }
            else
            {
                (json ??= []).Add(c);
            }
        }

        PackJson();
    }

    internal void ListInsert(Transaction transaction, int index, IReadOnlyList<object?> content)
    {
        if (index > Length || index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "Length exceeded!");
        }

        if (index == 0)
        {
            if (SearchMarkers != null)
            {
                SearchMarker.UpdateChanges(SearchMarkers, index, content.Count);
            }

            ListInsertAfter(transaction, null, content);
            return;
        }

        var startIndex = index;
        var marker = SearchMarker.Find(this, index);
        var n = Start;
        if (marker != null)
        {
            n = marker.Item;
            index -= marker.Index;
            if (index == 0)
            {
                n = n.Prev;
                index += n != null && n.Visible ? n.Length : 0;
            }
        }

        for (; n != null; n = n.Right)
        {
            if (n.Visible)
            {
                if (index <= n.Length)
                {
                    if (index < n.Length)
                    {
                        transaction.Doc.Store.GetItemCleanStart(transaction, new Id(n.Client, n.Clock + index));
                    }

                    break;
                }

                index -= n.Length;
            }
        }

        if (SearchMarkers != null)
        {
            SearchMarker.UpdateChanges(SearchMarkers, startIndex, content.Count);
        }

        ListInsertAfter(transaction, n, content);
    }

    internal void ListPush(Transaction transaction, IReadOnlyList<object?> content)
    {
        var n = Start;
        var best = 0;
        if (SearchMarkers != null)
        {
            foreach (var m in SearchMarkers)
            {
                if (m.Index > best)
                {
                    best = m.Index;
                    n = m.Item;
                }
            }
        }

        if (n != null)
        {
            while (n.Right != null)
            {
                n = n.Right;
            }
        }

        ListInsertAfter(transaction, n, content);
    }

    internal void ListDelete(Transaction transaction, int index, int length)
    {
        if (length == 0)
        {
            return;
        }

        var startIndex = index;
        var startLength = length;
        var marker = SearchMarker.Find(this, index);
        var n = Start;
        if (marker != null)
        {
            n = marker.Item;
            index -= marker.Index;
        }

        var store = transaction.Doc.Store;
        for (; n != null && index > 0; n = n.Right)
        {
            if (n.Visible)
            {
                if (index < n.Length)
                {
                    store.GetItemCleanStart(transaction, new Id(n.Client, n.Clock + index));
                }

                index -= n.Length;
            }
        }

        while (length > 0 && n != null)
        {
            if (!n.Deleted)
            {
                if (length < n.Length)
                {
                    store.GetItemCleanStart(transaction, new Id(n.Client, n.Clock + length));
                }

                n.Delete(transaction);
                length -= n.Length;
            }

            n = n.Right;
        }

        if (length > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "Length exceeded!");
        }

        if (SearchMarkers != null)
        {
            SearchMarker.UpdateChanges(SearchMarkers, startIndex, -startLength + length);
        }
    }

    // ---- map operations ----

    internal void MapSet(Transaction transaction, string key, object? value)
    {
        MapItems.TryGetValue(key, out var left);
        var doc = transaction.Doc;
        new Item(doc.ClientId, doc.Store.GetState(doc.ClientId), left, left?.LastId, null, null, this, key, ContentFor(value))
            .Integrate(transaction, 0);
    }

    internal void MapDelete(Transaction transaction, string key)
    {
        if (MapItems.TryGetValue(key, out var item))
        {
            item.Delete(transaction);
        }
    }

    internal bool MapTryGet(string key, out object? value)
    {
        if (MapItems.TryGetValue(key, out var item) && !item.Deleted)
        {
            var content = item.Content.GetContent();
            value = content[item.Length - 1];
            return true;
        }

        value = null;
        return false;
    }

    internal JsObject MapToJson()
    {
        var obj = new JsObject();
        foreach (var (key, item) in MapItems)
        {
            if (!item.Deleted)
            {
                obj[key] = ValueToJson(item.Content.GetContent()[item.Length - 1]);
            }
        }

        return obj;
    }
}

/// <summary>A root type created while decoding, before anyone asked for it as Text, Map, Array or XML.</summary>
internal sealed class YUntyped : AbstractType
{
    internal override AbstractType CopyEmpty() => new YUntyped();

    internal override void WriteTypeRef(Lib0Writer writer) =>
        throw new InvalidOperationException("An untyped root cannot be nested");

    /// <summary>Guesses the JSON from the content: keys → map, strings/formats → text, otherwise array.</summary>
    public override object? ToJson()
    {
        var hasList = false;
        var isText = false;
        for (var n = Start; n != null; n = n.Right)
        {
            hasList = true;
            if (n.Content is ContentString or ContentFormat or ContentEmbed)
            {
                isText = true;
            }
        }

        if (!hasList && MapItems.Count > 0)
        {
            return MapToJson();
        }

        if (isText)
        {
            var sb = new System.Text.StringBuilder();
            for (var n = Start; n != null; n = n.Right)
            {
                if (n.Visible && n.Content is ContentString s)
                {
                    sb.Append(s.Text);
                }
            }

            return sb.ToString();
        }

        return ListToArray().ConvertAll(ValueToJson);
    }
}
