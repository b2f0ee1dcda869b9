using System.Text;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>Text change with a rich-text delta (inserts carry the attributes in effect, retains the changed ones).</summary>
public sealed class YTextEvent : YEvent
{
    private List<DeltaOp>? _textDelta;

    internal YTextEvent(YText target, Transaction transaction, HashSet<string?> subs)
        : base(target, transaction)
    {
        ChildListChanged = subs.Contains(null);
        KeysChanged = subs.Where(s => s != null).Select(s => s!).ToHashSet();
    }

    public bool ChildListChanged { get; }

    public IReadOnlySet<string> KeysChanged { get; }

    public override IReadOnlyList<DeltaOp> Delta => _textDelta ??= ComputeDelta();

    private enum Action
    {
        None,
        Insert,
        Retain,
        Delete,
    }

    private List<DeltaOp> ComputeDelta()
    {
        var delta = new List<DeltaOp>();
        Target.Doc!.Transact(transaction =>
        {
            var currentAttributes = JsObject.CreateMap();
            var oldAttributes = JsObject.CreateMap();
            var item = Target.Start;
            var action = Action.None;
            var attributes = new JsObject();
            object? insertEmbed = null;
            var insert = new StringBuilder();
            var retain = 0;
            var deleteLen = 0;
            void AddOp()
            {
                if (action == Action.None)
                {
                    return;
                }

                DeltaOp? op = null;
                switch (action)
                {
                    case Action.Delete:
                        if (deleteLen > 0)
                        {
                            op = new DeltaOp { Delete = deleteLen };
                        }

                        deleteLen = 0;
                        break;
                    case Action.Insert:
                        if (insertEmbed != null || insert.Length > 0)
                        {
                            JsObject? attrs = null;
                            if (currentAttributes.Count > 0)
                            {
                                attrs = new JsObject();
                                foreach (var (k, v) in currentAttributes)
                                {
                                    if (v != null)
                                    {
                                        attrs[k] = v;
                                    }
                                }
                            }

                            op = new DeltaOp { Insert = insertEmbed ?? insert.ToString(), Attributes = attrs };
                        }

                        insert.Clear();
                        insertEmbed = null;
                        break;
                    case Action.Retain:
                        if (retain > 0)
                        {
                            op = new DeltaOp { Retain = retain, Attributes = attributes.Count > 0 ? attributes.Copy() : null };
                        }

                        retain = 0;
                        break;
                }

                if (op != null)
                {
                    delta.Add(op);
                }

                action = Action.None;
            }

            while (item != null)
            {
                switch (item.Content)
                {
                    case ContentType or ContentEmbed:
                        if (Adds(item))
                        {
                            if (!Deletes(item))
                            {
                                AddOp();
                                action = Action.Insert;
                                insertEmbed = item.Content.GetContent()[0];
                                AddOp();
                            }
                        }
                        else if (Deletes(item))
                        {
                            if (action != Action.Delete)
                            {
                                AddOp();
                                action = Action.Delete;
                            }

                            deleteLen += 1;
                        }
                        else if (!item.Deleted)
                        {
                            if (action != Action.Retain)
                            {
                                AddOp();
                                action = Action.Retain;
                            }

                            retain += 1;
                        }

                        break;
                    case ContentString s:
                        if (Adds(item))
                        {
                            if (!Deletes(item))
                            {
                                if (action != Action.Insert)
                                {
                                    AddOp();
                                    action = Action.Insert;
                                }

                                insert.Append(s.Text);
                            }
                        }
                        else if (Deletes(item))
                        {
                            if (action != Action.Delete)
                            {
                                AddOp();
                                action = Action.Delete;
                            }

                            deleteLen += item.Length;
                        }
                        else if (!item.Deleted)
                        {
                            if (action != Action.Retain)
                            {
                                AddOp();
                                action = Action.Retain;
                            }

                            retain += item.Length;
                        }

                        break;
                    case ContentFormat format:
                        {
                            var key = format.Key;
                            var value = format.Value;
                            if (Adds(item))
                            {
                                if (!Deletes(item))
                                {
                                    var curVal = currentAttributes.TryGetValue(key, out var cv) ? cv : null;
                                    if (!JsValues.EqualAttrs(curVal, value))
                                    {
                                        if (action == Action.Retain)
                                        {
                                            AddOp();
                                        }

                                        var old = oldAttributes.TryGetValue(key, out var ov) ? ov : null;
                                        if (JsValues.EqualAttrs(value, old))
                                        {
                                            attributes.Remove(key);
                                        }
                                        else
                                        {
                                            attributes[key] = value;
                                        }
                                    }
                                    else if (value != null)
                                    {
                                        item.Delete(transaction);
                                    }
                                }
                            }
                            else if (Deletes(item))
                            {
                                oldAttributes[key] = value;
                                var curVal = currentAttributes.TryGetValue(key, out var cv) ? cv : null;
                                if (!JsValues.EqualAttrs(curVal, value))
                                {
                                    if (action == Action.Retain)
                                    {
                                        AddOp();
                                    }

                                    attributes[key] = curVal;
                                }
                            }
                            else if (!item.Deleted)
                            {
                                oldAttributes[key] = value;
                                if (attributes.TryGetValue(key, out var attr))
                                {
                                    if (!JsValues.EqualAttrs(attr, value))
                                    {
                                        if (action == Action.Retain)
                                        {
                                            AddOp();
                                        }

                                        if (value == null)
                                        {
                                            attributes.Remove(key);
                                        }
                                        else
                                        {
                                            attributes[key] = value;
                                        }
                                    }
                                    else if (attr != null)
                                    {
                                        item.Delete(transaction);
                                    }
                                }
                            }

                            if (!item.Deleted)
                            {
                                if (action == Action.Insert)
                                {
                                    AddOp();
                                }

                                YText.UpdateCurrentAttributes(currentAttributes, format);
                            }

                            break;
                        }
                }

                item = item.Right;
            }

            AddOp();
            while (delta.Count > 0 && delta[^1].Retain != null && delta[^1].Attributes == null)
            {
                delta.RemoveAt(delta.Count - 1);
            }
        });
        return delta;
    }
}
