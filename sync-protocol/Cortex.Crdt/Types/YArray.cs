using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Types;

/// <summary>A shared list of values and nested types.</summary>
public sealed class YArray : AbstractType
{
    public YArray()
    {
        SearchMarkers = [];
    }

    public int Count => Length;

    internal override AbstractType CopyEmpty() => new YArray();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(0);

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        if (HasListeners)
        {
            CallTypeObservers(transaction, new YArrayEvent(this, transaction));
        }
    }

    public void Insert(int index, params object?[] content) =>
        RequireDoc().Transact(t => ListInsert(t, index, content));

    public void Push(params object?[] content) => RequireDoc().Transact(t => ListPush(t, content));

    public void Delete(int index, int length = 1) => RequireDoc().Transact(t => ListDelete(t, index, length));

    public object? Get(int index) => ListGet(index);

    public List<object?> ToList() => ListToArray();

    public override object? ToJson() => ListToArray().ConvertAll(ValueToJson);
}

/// <summary>A shared key→value map (last writer by YATA order wins).</summary>
public sealed class YMap : AbstractType
{
    internal override AbstractType CopyEmpty() => new YMap();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(1);

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        if (HasListeners)
        {
            CallTypeObservers(transaction, new YMapEvent(this, transaction, parentSubs));
        }
    }

    public int Count => MapItems.Values.Count(i => !i.Deleted);

    public IEnumerable<string> Keys => MapItems.Where(kv => !kv.Value.Deleted).Select(kv => kv.Key);

    public void Set(string key, object? value) => RequireDoc().Transact(t => MapSet(t, key, value));

    public void Delete(string key) => RequireDoc().Transact(t => MapDelete(t, key));

    public bool Has(string key) => MapItems.TryGetValue(key, out var item) && !item.Deleted;

    public object? Get(string key) => MapTryGet(key, out var v) ? v : null;

    public bool TryGet(string key, out object? value) => MapTryGet(key, out value);

    public override object? ToJson() => MapToJson();
}
