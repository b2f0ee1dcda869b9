using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Core;

/// <summary>Raised after a transaction that changed the document, with the v1 update describing the change.</summary>
public sealed class DocUpdateEventArgs(byte[] update, object? origin, Transaction transaction) : EventArgs
{
    public byte[] Update { get; } = update;

    public object? Origin { get; } = origin;

    public Transaction Transaction { get; } = transaction;
}

/// <summary>A Yjs document: shared root types, a struct store and a client id.</summary>
public sealed class Doc
{
    private readonly List<Transaction> _cleanups = [];
    private Transaction? _transaction;

    public Doc(long? clientId = null, string? guid = null, bool gc = true)
    {
        ClientId = clientId ?? GenerateClientId();
        Guid = guid ?? System.Guid.NewGuid().ToString();
        Gc = gc;
    }

    public long ClientId { get; set; }

    public string Guid { get; }

    public bool Gc { get; set; }

    /// <summary>Deleted items for which this returns false are kept instead of being garbage-collected.</summary>
    public Func<Item, bool> GcFilter { get; set; } = static _ => true;

    public StructStore Store { get; } = new();

    public IReadOnlyDictionary<string, AbstractType> Share => _share;

    private readonly Dictionary<string, AbstractType> _share = [];

    public event EventHandler<DocUpdateEventArgs>? Updated;

    public event EventHandler<Transaction>? AfterTransaction;

    internal static long GenerateClientId() => Random.Shared.NextInt64(0, 1L << 32);

    public YText GetText(string name = "") => Get(name, static () => new YText());

    public YMap GetMap(string name = "") => Get(name, static () => new YMap());

    public YArray GetArray(string name = "") => Get(name, static () => new YArray());

    public YXmlFragment GetXmlFragment(string name = "") => Get(name, static () => new YXmlFragment());

    public YXmlElement GetXmlElement(string name = "") => Get(name, static () => new YXmlElement("UNDEFINED"));

    public YXmlText GetXmlText(string name = "") => Get(name, static () => new YXmlText());

    /// <summary>Root type of yet unknown kind (as created while decoding an update).</summary>
    internal AbstractType GetUntyped(string name)
    {
        if (!_share.TryGetValue(name, out var type))
        {
            type = new YUntyped();
            type.RootName = name;
            type.IntegrateInto(this, null);
            _share[name] = type;
        }

        return type;
    }

    private T Get<T>(string name, Func<T> create)
        where T : AbstractType
    {
        if (!_share.TryGetValue(name, out var existing))
        {
            var t = create();
            t.RootName = name;
            t.IntegrateInto(this, null);
            _share[name] = t;
            return t;
        }

        if (existing is T typed)
        {
            return typed;
        }

        if (existing is YUntyped)
        {
            var t = create();
            t.RootName = name;
            foreach (var (key, last) in existing.MapItems)
            {
                t.MapItems[key] = last;
                for (var n = last; n != null; n = n.Left)
                {
                    n.Parent = t;
                }
            }

            t.Start = existing.Start;
            for (var n = t.Start; n != null; n = n.Right)
            {
                n.Parent = t;
            }

            t.Length = existing.Length;
            _share[name] = t;
            t.IntegrateInto(this, null);
            return t;
        }

        throw new InvalidOperationException($"Type with the name {name} has already been defined with a different constructor");
    }

    /// <summary>Runs <paramref name="action"/> in a transaction (joining the current one if any).</summary>
    public void Transact(Action<Transaction> action, object? origin = null, bool local = true)
    {
        var initialCall = false;
        if (_transaction == null)
        {
            initialCall = true;
            _transaction = new Transaction(this, origin, local);
            _cleanups.Add(_transaction);
        }

        try
        {
            action(_transaction);
        }
        finally
        {
            if (initialCall)
            {
                var finishCleanup = _transaction == _cleanups[0];
                _transaction = null;
                if (finishCleanup)
                {
                    CleanupTransactions();
                }
            }
        }
    }

    internal bool InCleanup => _cleanups.Count > 0;

    private void CleanupTransactions()
    {
        for (var i = 0; i < _cleanups.Count; i++)
        {
            CleanupTransaction(_cleanups[i]);
        }

        _cleanups.Clear();
    }

    private void CleanupTransaction(Transaction transaction)
    {
        var store = Store;
        var ds = transaction.DeleteSet;
        try
        {
            ds.SortAndMerge();
            transaction.AfterState = store.GetStateVector();
            CallObservers(transaction);
        }
        finally
        {
            if (Gc)
            {
                TryGcDeleteSet(ds, store);
            }

            TryMergeDeleteSet(ds, store);
            foreach (var (client, clock) in transaction.AfterState)
            {
                var beforeClock = transaction.BeforeStateOf(client);
                if (beforeClock != clock)
                {
                    var structs = store.Clients[client];
                    var firstChangePos = Math.Max(StructStore.FindIndex(structs, beforeClock), 1);
                    for (var i = structs.Count - 1; i >= firstChangePos;)
                    {
                        i -= 1 + TryToMergeWithLefts(structs, i);
                    }
                }
            }

            var mergeStructs = transaction.MergeStructs;
            for (var i = mergeStructs.Count - 1; i >= 0; i--)
            {
                var s = mergeStructs[i];
                var structs = store.Clients[s.Client];
                var replacedPos = StructStore.FindIndex(structs, s.Clock);
                if (replacedPos + 1 < structs.Count && TryToMergeWithLefts(structs, replacedPos + 1) > 1)
                {
                    continue;
                }

                if (replacedPos > 0)
                {
                    TryToMergeWithLefts(structs, replacedPos);
                }
            }

            if (!transaction.Local && transaction.AfterState.GetValueOrDefault(ClientId, -1) != transaction.BeforeState.GetValueOrDefault(ClientId, -1))
            {
                // Another peer uses our client id; pick a new one as yjs does.
                ClientId = GenerateClientId();
            }

            var updated = Updated;
            if (updated != null && transaction.HasChanges())
            {
                var writer = new Lib0Writer();
                transaction.WriteUpdate(writer);
                updated(this, new DocUpdateEventArgs(writer.ToArray(), transaction.Origin, transaction));
            }
        }
    }

    private void CallObservers(Transaction transaction)
    {
        // Observers that edit the document open new transactions (this one is closing), so Changed is stable here.
        foreach (var (type, subs) in transaction.Changed)
        {
            if (type.Item == null || !type.Item.Deleted)
            {
                type.CallObserver(transaction, subs);
            }
        }

        foreach (var (type, events) in transaction.ChangedParentTypes)
        {
            if (type.HasDeepObservers && (type.Item == null || !type.Item.Deleted))
            {
                var list = events.Where(e => e.Target.Item == null || !e.Target.Item.Deleted).ToList();
                foreach (var e in list)
                {
                    e.CurrentTarget = type;
                    e.ResetPath();
                }

                list = [.. list.OrderBy(e => e.Path.Count)];
                type.CallDeepObservers(list, transaction);
            }
        }

        AfterTransaction?.Invoke(this, transaction);
        if (transaction.NeedFormattingCleanup)
        {
            YText.CleanupAfterTransaction(transaction);
        }
    }

    private void TryGcDeleteSet(DeleteSet ds, StructStore store)
    {
        foreach (var (client, ranges) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (var di = ranges.Count - 1; di >= 0; di--)
            {
                var range = ranges[di];
                var endClock = range.Clock + range.Length;
                for (var si = StructStore.FindIndex(structs, range.Clock); si < structs.Count && structs[si].Clock < endClock; si++)
                {
                    var s = structs[si];
                    if (range.Clock + range.Length <= s.Clock)
                    {
                        break;
                    }

                    if (s is Item item && item.Deleted && !item.Keep && GcFilter(item))
                    {
                        item.Gc(store, false);
                    }
                }
            }
        }
    }

    private static void TryMergeDeleteSet(DeleteSet ds, StructStore store)
    {
        foreach (var (client, ranges) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (var di = ranges.Count - 1; di >= 0; di--)
            {
                var range = ranges[di];
                var mostRight = Math.Min(structs.Count - 1, 1 + StructStore.FindIndex(structs, range.Clock + range.Length - 1));
                for (var si = mostRight; si > 0 && structs[si].Clock >= range.Clock;)
                {
                    si -= 1 + TryToMergeWithLefts(structs, si);
                }
            }
        }
    }

    internal static int TryToMergeWithLefts(List<AbstractStruct> structs, int pos)
    {
        var right = structs[pos];
        var i = pos;
        for (; i > 0; i--)
        {
            var left = structs[i - 1];
            right = structs[i];
            if (left.Deleted == right.Deleted && left.GetType() == right.GetType() && left.MergeWith(right))
            {
                if (right is Item { ParentSub: not null } r && r.Parent != null
                    && r.Parent.MapItems.TryGetValue(r.ParentSub, out var current) && current == r)
                {
                    r.Parent.MapItems[r.ParentSub] = (Item)left;
                }

                continue;
            }

            break;
        }

        var merged = pos - i;
        if (merged > 0)
        {
            structs.RemoveRange(pos + 1 - merged, merged);
        }

        return merged;
    }

    /// <summary>The document as yjs's <c>doc.toJSON()</c>: each root type's JSON by name.</summary>
    public JsObject ToJson()
    {
        var obj = new JsObject();
        foreach (var (name, type) in _share)
        {
            obj[name] = type.ToJson();
        }

        return obj;
    }
}
