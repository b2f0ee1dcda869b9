using Cortex.Crdt.Structs;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Core;

/// <summary>A batch of changes; observers run and structs are merged/GC'd when the outermost transaction ends.</summary>
public sealed class Transaction
{
    internal Transaction(Doc doc, object? origin, bool local)
    {
        Doc = doc;
        Origin = origin;
        Local = local;
        BeforeState = doc.Store.GetStateVector();
    }

    public Doc Doc { get; }

    public object? Origin { get; }

    /// <summary>False for transactions applying remote updates.</summary>
    public bool Local { get; internal set; }

    public DeleteSet DeleteSet { get; } = new();

    public Dictionary<long, long> BeforeState { get; }

    public Dictionary<long, long> AfterState { get; internal set; } = [];

    /// <summary>Changed types and the map keys changed on them (null = list content changed).</summary>
    public Dictionary<AbstractType, HashSet<string?>> Changed { get; } = [];

    internal Dictionary<AbstractType, List<YEvent>> ChangedParentTypes { get; } = [];

    internal List<AbstractStruct> MergeStructs { get; } = [];

    internal bool NeedFormattingCleanup { get; set; }

    public long BeforeStateOf(long client) => BeforeState.TryGetValue(client, out var c) ? c : 0;

    internal void AddChangedType(AbstractType type, string? parentSub)
    {
        var item = type.Item;
        if (item == null || (item.Clock < BeforeStateOf(item.Client) && !item.Deleted))
        {
            if (!Changed.TryGetValue(type, out var subs))
            {
                subs = [];
                Changed[type] = subs;
            }

            subs.Add(parentSub);
        }
    }

    internal void WriteUpdate(Encoding.Lib0Writer writer)
    {
        DeleteSet.SortAndMerge();
        Doc.Store.WriteStructs(writer, BeforeState);
        DeleteSet.Write(writer);
    }

    internal bool HasChanges()
    {
        if (DeleteSet.Clients.Count > 0)
        {
            return true;
        }

        foreach (var (client, clock) in AfterState)
        {
            if (BeforeStateOf(client) != clock || !BeforeState.ContainsKey(client))
            {
                return true;
            }
        }

        return false;
    }
}
