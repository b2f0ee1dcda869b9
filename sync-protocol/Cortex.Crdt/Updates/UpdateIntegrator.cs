using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Updates;

/// <summary>Applies decoded structs and delete sets to a document, parking what cannot be applied yet.</summary>
internal static class UpdateIntegrator
{
    public static void Apply(Transaction transaction, byte[] update)
    {
        transaction.Local = false;
        var doc = transaction.Doc;
        var store = doc.Store;
        var reader = new Lib0Reader(update);
        var refs = StructReader.ReadForDoc(reader, doc);
        var rest = IntegrateStructs(transaction, store, refs);
        var retry = false;
        var pending = store.PendingStructs;
        if (pending != null)
        {
            foreach (var (client, clock) in pending.Missing)
            {
                if (clock < store.GetState(client))
                {
                    retry = true;
                    break;
                }
            }

            if (rest != null)
            {
                foreach (var (client, clock) in rest.Missing)
                {
                    if (!pending.Missing.TryGetValue(client, out var m) || m > clock)
                    {
                        pending.Missing[client] = clock;
                    }
                }

                pending.Update = UpdateMerger.Merge([pending.Update, rest.Update]);
            }
        }
        else
        {
            store.PendingStructs = rest;
        }

        var dsRest = ReadAndApplyDeleteSet(reader, transaction, store);
        if (store.PendingDeleteSet != null)
        {
            var pendingReader = new Lib0Reader(store.PendingDeleteSet);
            pendingReader.ReadVarUint();
            var dsRest2 = ReadAndApplyDeleteSet(pendingReader, transaction, store);
            store.PendingDeleteSet = dsRest != null && dsRest2 != null ? UpdateMerger.Merge([dsRest, dsRest2]) : dsRest ?? dsRest2;
        }
        else
        {
            store.PendingDeleteSet = dsRest;
        }

        if (retry)
        {
            var again = store.PendingStructs!.Update;
            store.PendingStructs = null;
            Apply(transaction, again);
        }
    }

    private static PendingStructs? IntegrateStructs(Transaction transaction, StructStore store, Dictionary<long, StructReader.ClientRefs> clientsRefs)
    {
        var stack = new List<AbstractStruct>();
        var ids = clientsRefs.Keys.OrderBy(c => c).ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        StructReader.ClientRefs? NextTarget()
        {
            if (ids.Count == 0)
            {
                return null;
            }

            var next = clientsRefs[ids[^1]];
            while (next.Refs.Count == next.Index)
            {
                ids.RemoveAt(ids.Count - 1);
                if (ids.Count > 0)
                {
                    next = clientsRefs[ids[^1]];
                }
                else
                {
                    return null;
                }
            }

            return next;
        }

        var current = NextTarget();
        if (current == null)
        {
            return null;
        }

        var restStructs = new Dictionary<long, List<AbstractStruct>>();
        var missingSv = new Dictionary<long, long>();
        void UpdateMissingSv(long client, long clock)
        {
            if (!missingSv.TryGetValue(client, out var m) || m > clock)
            {
                missingSv[client] = clock;
            }
        }

        var stackHead = current.Refs[current.Index++];
        var state = new Dictionary<long, long>();

        void AddStackToRest()
        {
            foreach (var s in stack)
            {
                var client = s.Client;
                if (clientsRefs.TryGetValue(client, out var inapplicable))
                {
                    inapplicable.Index--;
                    restStructs[client] = inapplicable.Refs.GetRange(inapplicable.Index, inapplicable.Refs.Count - inapplicable.Index);
                    clientsRefs.Remove(client);
                    inapplicable.Index = 0;
                    inapplicable.Refs = [];
                }
                else
                {
                    restStructs[client] = [s];
                }

                ids.RemoveAll(c => c == client);
            }

            stack.Clear();
        }

        while (true)
        {
            if (stackHead is not SkipStruct)
            {
                if (!state.TryGetValue(stackHead.Client, out var localClock))
                {
                    localClock = store.GetState(stackHead.Client);
                    state[stackHead.Client] = localClock;
                }

                var offset = localClock - stackHead.Clock;
                if (offset < 0)
                {
                    stack.Add(stackHead);
                    UpdateMissingSv(stackHead.Client, stackHead.Clock - 1);
                    AddStackToRest();
                }
                else
                {
                    var missing = stackHead is Item item ? item.GetMissing(transaction, store) : null;
                    if (missing is { } missingClient)
                    {
                        stack.Add(stackHead);
                        var structRefs = clientsRefs.TryGetValue(missingClient, out var r) ? r : null;
                        if (structRefs == null || structRefs.Refs.Count == structRefs.Index)
                        {
                            UpdateMissingSv(missingClient, store.GetState(missingClient));
                            AddStackToRest();
                        }
                        else
                        {
                            stackHead = structRefs.Refs[structRefs.Index++];
                            continue;
                        }
                    }
                    else if (offset == 0 || offset < stackHead.Length)
                    {
                        stackHead.Integrate(transaction, (int)offset);
                        state[stackHead.Client] = stackHead.Clock + stackHead.Length;
                    }
                }
            }

            if (stack.Count > 0)
            {
                stackHead = stack[^1];
                stack.RemoveAt(stack.Count - 1);
            }
            else if (current != null && current.Index < current.Refs.Count)
            {
                stackHead = current.Refs[current.Index++];
            }
            else
            {
                current = NextTarget();
                if (current == null)
                {
                    break;
                }

                stackHead = current.Refs[current.Index++];
            }
        }

        if (restStructs.Count == 0)
        {
            return null;
        }

        var writer = new Lib0Writer();
        writer.WriteVarUint(restStructs.Count);
        foreach (var client in restStructs.Keys.OrderByDescending(c => c))
        {
            var structs = restStructs[client];
            StructStore.WriteClientStructs(writer, structs, client, 0);
        }

        writer.WriteVarUint(0);
        return new PendingStructs(missingSv, writer.ToArray());
    }

    private static byte[]? ReadAndApplyDeleteSet(Lib0Reader reader, Transaction transaction, StructStore store)
    {
        var unapplied = new DeleteSet();
        var numClients = reader.ReadLength(2);
        for (var i = 0; i < numClients; i++)
        {
            var client = reader.ReadVarUint();
            var numDeletes = reader.ReadLength(2);
            store.Clients.TryGetValue(client, out var structs);
            var state = store.GetState(client);
            for (var k = 0; k < numDeletes; k++)
            {
                var clock = reader.ReadVarUint();
                var clockEnd = clock + reader.ReadVarUint();
                if (clock < state)
                {
                    if (state < clockEnd)
                    {
                        unapplied.Add(client, state, clockEnd - state);
                    }

                    var index = StructStore.FindIndex(structs!, clock);
                    var s = structs![index];
                    if (!s.Deleted && s.Clock < clock)
                    {
                        structs.Insert(index + 1, ((Item)s).Split(transaction, (int)(clock - s.Clock)));
                        index++;
                    }

                    while (index < structs.Count)
                    {
                        s = structs[index++];
                        if (s.Clock < clockEnd)
                        {
                            if (!s.Deleted)
                            {
                                var item = (Item)s;
                                if (clockEnd < s.Clock + s.Length)
                                {
                                    structs.Insert(index, item.Split(transaction, (int)(clockEnd - s.Clock)));
                                }

                                item.Delete(transaction);
                            }
                        }
                        else
                        {
                            break;
                        }
                    }
                }
                else
                {
                    unapplied.Add(client, clock, clockEnd - clock);
                }
            }
        }

        if (unapplied.Clients.Count == 0)
        {
            return null;
        }

        var writer = new Lib0Writer();
        writer.WriteVarUint(0);
        unapplied.Write(writer);
        return writer.ToArray();
    }
}
