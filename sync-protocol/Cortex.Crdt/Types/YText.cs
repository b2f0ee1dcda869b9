using System.Text;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>Shared rich text: strings, embeds and formatting attributes (format items), with yjs's cleanup rules.</summary>
public class YText : AbstractType
{
    public YText()
    {
        SearchMarkers = [];
    }

    public int Count => Length;

    internal override AbstractType CopyEmpty() => new YText();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(2);

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        if (HasListeners)
        {
            CallTypeObservers(transaction, new YTextEvent(this, transaction, parentSubs));
        }
        if (!transaction.Local && HasFormatting)
        {
            transaction.NeedFormattingCleanup = true;
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder(Length);
        for (var n = Start; n != null; n = n.Right)
        {
            if (n.Visible && n.Content is ContentString s)
            {
                sb.Append(s.Text);
            }
        }

        return sb.ToString();
    }

    public override object? ToJson() => ToString();

    public void Insert(int index, string text, IEnumerable<KeyValuePair<string, object?>>? attributes = null)
    {
        if (text.Length == 0)
        {
            return;
        }

        RequireDoc().Transact(t =>
        {
            var pos = FindPosition(t, index, attributes == null);
            JsObject attrs;
            if (attributes == null)
            {
                attrs = new JsObject();
                foreach (var (k, v) in pos.CurrentAttributes)
                {
                    attrs[k] = v;
                }
            }
            else
            {
                attrs = new JsObject(attributes);
            }

            InsertText(t, pos, new ContentString(text), attrs);
        });
    }

    public void InsertEmbed(int index, object embed, IEnumerable<KeyValuePair<string, object?>>? attributes = null)
    {
        RequireDoc().Transact(t =>
        {
            var pos = FindPosition(t, index, attributes == null);
            var content = embed is AbstractType type ? (Content)new ContentType(type) : new ContentEmbed(embed);
            InsertText(t, pos, content, attributes == null ? new JsObject() : new JsObject(attributes));
        });
    }

    public void Delete(int index, int length)
    {
        if (length == 0)
        {
            return;
        }

        RequireDoc().Transact(t => DeleteText(t, FindPosition(t, index, true), length));
    }

    public void Format(int index, int length, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        if (length == 0)
        {
            return;
        }

        RequireDoc().Transact(t =>
        {
            var pos = FindPosition(t, index, false);
            if (pos.Right == null)
            {
                return;
            }

            FormatText(t, pos, length, new JsObject(attributes));
        });
    }

    public void SetAttribute(string name, object? value) => RequireDoc().Transact(t => MapSet(t, name, value));

    public void RemoveAttribute(string name) => RequireDoc().Transact(t => MapDelete(t, name));

    public object? GetAttribute(string name) => MapTryGet(name, out var v) ? v : null;

    public JsObject GetAttributes()
    {
        var o = new JsObject();
        foreach (var (k, item) in MapItems)
        {
            if (!item.Deleted)
            {
                o[k] = item.Content.GetContent()[item.Length - 1];
            }
        }

        return o;
    }

    /// <summary>Applies a Quill-style delta (insert/retain/delete with attributes).</summary>
    public void ApplyDelta(IEnumerable<DeltaOp> delta)
    {
        var ops = delta.ToList();
        RequireDoc().Transact(t =>
        {
            var pos = new TextPosition(null, Start, 0, JsObject.CreateMap());
            foreach (var op in ops)
            {
                if (op.Insert != null)
                {
                    if (op.Insert is string s)
                    {
                        if (s.Length > 0)
                        {
                            InsertText(t, pos, new ContentString(s), op.Attributes?.Copy() ?? new JsObject());
                        }
                    }
                    else
                    {
                        var content = op.Insert is AbstractType type ? (Content)new ContentType(type) : new ContentEmbed(op.Insert);
                        InsertText(t, pos, content, op.Attributes?.Copy() ?? new JsObject());
                    }
                }
                else if (op.Retain is { } retain)
                {
                    FormatText(t, pos, retain, op.Attributes?.Copy() ?? new JsObject());
                }
                else if (op.Delete is { } del)
                {
                    DeleteText(t, pos, del);
                }
            }
        });
    }

    public List<DeltaOp> ToDelta()
    {
        var ops = new List<DeltaOp>();
        var current = JsObject.CreateMap();
        var sb = new StringBuilder();
        void PackStr()
        {
            if (sb.Length > 0)
            {
                ops.Add(new DeltaOp { Insert = sb.ToString(), Attributes = current.Count > 0 ? AttributesObject(current) : null });
                sb.Clear();
            }
        }

        for (var n = Start; n != null; n = n.Right)
        {
            if (n.Deleted)
            {
                continue;
            }

            switch (n.Content)
            {
                case ContentString s:
                    sb.Append(s.Text);
                    break;
                case ContentType or ContentEmbed:
                    PackStr();
                    ops.Add(new DeltaOp { Insert = n.Content.GetContent()[0], Attributes = current.Count > 0 ? AttributesObject(current) : null });
                    break;
                case ContentFormat f:
                    PackStr();
                    UpdateCurrentAttributes(current, f);
                    break;
            }
        }

        PackStr();
        return ops;
    }

    private static JsObject AttributesObject(JsObject map)
    {
        var o = new JsObject();
        foreach (var (k, v) in map)
        {
            o[k] = v;
        }

        return o;
    }

    // ---- yjs text algorithms (positions, formatting, cleanup) ----

    internal sealed class TextPosition(Item? left, Item? right, int index, JsObject currentAttributes)
    {
        public Item? Left { get; set; } = left;

        public Item? Right { get; set; } = right;

        public int Index { get; set; } = index;

        public JsObject CurrentAttributes { get; } = currentAttributes;

        public void Forward()
        {
            var right = Right ?? throw new InvalidOperationException("Unexpected end of text");
            if (right.Content is ContentFormat f)
            {
                if (!right.Deleted)
                {
                    UpdateCurrentAttributes(CurrentAttributes, f);
                }
            }
            else if (!right.Deleted)
            {
                Index += right.Length;
            }

            Left = right;
            Right = right.Right;
        }
    }

    internal static void UpdateCurrentAttributes(JsObject current, ContentFormat format)
    {
        if (format.Value == null)
        {
            current.Remove(format.Key);
        }
        else
        {
            current[format.Key] = format.Value;
        }
    }

    private static TextPosition FindNextPosition(Transaction transaction, TextPosition pos, int count)
    {
        var store = transaction.Doc.Store;
        while (pos.Right != null && count > 0)
        {
            var right = pos.Right;
            if (right.Content is ContentFormat f)
            {
                if (!right.Deleted)
                {
                    UpdateCurrentAttributes(pos.CurrentAttributes, f);
                }
            }
            else if (!right.Deleted)
            {
                if (count < right.Length)
                {
                    store.GetItemCleanStart(transaction, new Id(right.Client, right.Clock + count));
                }

                pos.Index += right.Length;
                count -= right.Length;
            }

            pos.Left = right;
            pos.Right = right.Right;
        }

        return pos;
    }

    private TextPosition FindPosition(Transaction transaction, int index, bool useSearchMarker)
    {
        var attrs = JsObject.CreateMap();
        var marker = useSearchMarker ? SearchMarker.Find(this, index) : null;
        if (marker != null)
        {
            return FindNextPosition(transaction, new TextPosition(marker.Item.Left, marker.Item, marker.Index, attrs), index - marker.Index);
        }

        return FindNextPosition(transaction, new TextPosition(null, Start, 0, attrs), index);
    }

    private Item NewItem(Transaction transaction, Item? left, Item? right, Content content)
    {
        var doc = transaction.Doc;
        return new Item(doc.ClientId, doc.Store.GetState(doc.ClientId), left, left?.LastId, right, right?.Id, this, null, content);
    }

    private void InsertNegatedAttributes(Transaction transaction, TextPosition pos, JsObject negated)
    {
        while (pos.Right != null
            && (pos.Right.Deleted || (pos.Right.Content is ContentFormat f && negated.TryGetValue(f.Key, out var nv) && JsValues.EqualAttrs(nv, f.Value))))
        {
            if (!pos.Right.Deleted)
            {
                negated.Remove(((ContentFormat)pos.Right.Content).Key);
            }

            pos.Forward();
        }

        foreach (var (key, value) in negated.ToList())
        {
            var item = NewItem(transaction, pos.Left, pos.Right, new ContentFormat(key, value));
            item.Integrate(transaction, 0);
            pos.Right = item;
            pos.Forward();
        }
    }

    private static void MinimizeAttributeChanges(TextPosition pos, JsObject attributes)
    {
        while (pos.Right != null)
        {
            var right = pos.Right;
            if (right.Deleted
                || (right.Content is ContentFormat f && JsValues.EqualAttrs(NullIfMissing(attributes, f.Key), f.Value)))
            {
                pos.Forward();
                continue;
            }

            break;
        }
    }

    /// <summary><c>attributes[key] ?? null</c>.</summary>
    private static object? NullIfMissing(JsObject attributes, string key) =>
        attributes.TryGetValue(key, out var v) && v is not JsUndefined ? v : null;

    private JsObject InsertAttributes(Transaction transaction, TextPosition pos, JsObject attributes)
    {
        var negated = JsObject.CreateMap();
        foreach (var (key, value) in attributes)
        {
            var currentValue = NullIfMissing(pos.CurrentAttributes, key);
            if (!JsValues.EqualAttrs(currentValue, value))
            {
                negated[key] = currentValue;
                var item = NewItem(transaction, pos.Left, pos.Right, new ContentFormat(key, value));
                pos.Right = item;
                item.Integrate(transaction, 0);
                pos.Forward();
            }
        }

        return negated;
    }

    private void InsertText(Transaction transaction, TextPosition pos, Content content, JsObject attributes)
    {
        foreach (var (key, _) in pos.CurrentAttributes)
        {
            if (!attributes.TryGetValue(key, out var v) || v is JsUndefined)
            {
                attributes[key] = null;
            }
        }

        MinimizeAttributeChanges(pos, attributes);
        var negated = InsertAttributes(transaction, pos, attributes);
        var index = pos.Index;
        if (SearchMarkers != null)
        {
            SearchMarker.UpdateChanges(SearchMarkers, pos.Index, content.Length);
        }

        var right = NewItem(transaction, pos.Left, pos.Right, content);
        right.Integrate(transaction, 0);
        pos.Right = right;
        pos.Index = index;
        pos.Forward();
        InsertNegatedAttributes(transaction, pos, negated);
    }

    private void FormatText(Transaction transaction, TextPosition pos, int length, JsObject attributes)
    {
        MinimizeAttributeChanges(pos, attributes);
        var negated = InsertAttributes(transaction, pos, attributes);
        var store = transaction.Doc.Store;
        while (pos.Right != null
            && (length > 0 || (negated.Count > 0 && (pos.Right.Deleted || pos.Right.Content is ContentFormat))))
        {
            var right = pos.Right;
            if (!right.Deleted)
            {
                if (right.Content is ContentFormat f)
                {
                    if (attributes.TryGetValue(f.Key, out var attr) && attr is not JsUndefined)
                    {
                        if (JsValues.EqualAttrs(attr, f.Value))
                        {
                            negated.Remove(f.Key);
                        }
                        else
                        {
                            if (length == 0)
                            {
                                break;
                            }

                            negated[f.Key] = f.Value;
                        }

                        right.Delete(transaction);
                    }
                    else
                    {
                        pos.CurrentAttributes[f.Key] = f.Value;
                    }
                }
                else
                {
                    if (length < right.Length)
                    {
                        store.GetItemCleanStart(transaction, new Id(right.Client, right.Clock + length));
                    }

                    length -= right.Length;
                }
            }

            pos.Forward();
        }

        if (length > 0)
        {
            var item = NewItem(transaction, pos.Left, pos.Right, new ContentString(new string('\n', length)));
            pos.Right = item;
            item.Integrate(transaction, 0);
            pos.Forward();
        }

        InsertNegatedAttributes(transaction, pos, negated);
    }

    private static int CleanupFormattingGap(Transaction transaction, Item start, Item? curr, JsObject startAttributes, JsObject currAttributes)
    {
        Item? end = start;
        var endFormats = new Dictionary<string, ContentFormat>();
        while (end != null && (!end.Countable || end.Deleted))
        {
            if (!end.Deleted && end.Content is ContentFormat cf)
            {
                endFormats[cf.Key] = cf;
            }

            end = end.Right;
        }

        var cleanups = 0;
        var reachedCurr = false;
        Item? s = start;
        while (s != end)
        {
            if (curr == s)
            {
                reachedCurr = true;
            }

            if (!s!.Deleted && s.Content is ContentFormat format)
            {
                var key = format.Key;
                var value = format.Value;
                var startAttrValue = NullIfMissing(startAttributes, key);
                if (!endFormats.TryGetValue(key, out var endFormat) || endFormat != format || JsValues.StrictEquals(startAttrValue, value))
                {
                    s.Delete(transaction);
                    cleanups++;
                    if (!reachedCurr && JsValues.StrictEquals(NullIfMissing(currAttributes, key), value) && !JsValues.StrictEquals(startAttrValue, value))
                    {
                        if (startAttrValue == null)
                        {
                            currAttributes.Remove(key);
                        }
                        else
                        {
                            currAttributes[key] = startAttrValue;
                        }
                    }
                }

                if (!reachedCurr && !s.Deleted)
                {
                    UpdateCurrentAttributes(currAttributes, format);
                }
            }

            s = s.Right;
        }

        return cleanups;
    }

    private static void CleanupContextlessFormattingGap(Transaction transaction, Item? item)
    {
        while (item?.Right != null && (item.Right.Deleted || !item.Right.Countable))
        {
            item = item.Right;
        }

        var keys = new HashSet<string>();
        while (item != null && (item.Deleted || !item.Countable))
        {
            if (!item.Deleted && item.Content is ContentFormat f)
            {
                if (!keys.Add(f.Key))
                {
                    item.Delete(transaction);
                }
            }

            item = item.Left;
        }
    }

    /// <summary>Removes redundant format items in the whole text; returns how many were removed.</summary>
    public int CleanupFormatting()
    {
        var res = 0;
        RequireDoc().Transact(t =>
        {
            var start = Start;
            var end = Start;
            var startAttributes = JsObject.CreateMap();
            var currentAttributes = startAttributes.Copy();
            while (end != null)
            {
                if (!end.Deleted)
                {
                    if (end.Content is ContentFormat f)
                    {
                        UpdateCurrentAttributes(currentAttributes, f);
                    }
                    else
                    {
                        res += CleanupFormattingGap(t, start!, end, startAttributes, currentAttributes);
                        startAttributes = currentAttributes.Copy();
                        start = end;
                    }
                }

                end = end.Right;
            }
        });
        return res;
    }

    internal static void CleanupAfterTransaction(Transaction transaction)
    {
        var needFullCleanup = new List<YText>();
        var doc = transaction.Doc;
        foreach (var (client, afterClock) in transaction.AfterState)
        {
            var clock = transaction.BeforeStateOf(client);
            if (afterClock == clock)
            {
                continue;
            }

            doc.Store.IterateStructs(transaction, doc.Store.Clients[client], clock, afterClock, s =>
            {
                if (s is Item { Deleted: false, Content: ContentFormat } item && item.Parent is YText text && !needFullCleanup.Contains(text))
                {
                    needFullCleanup.Add(text);
                }
            });
        }

        doc.Transact(t =>
        {
            foreach (var (client, ranges) in transaction.DeleteSet.Clients)
            {
                var structs = doc.Store.Clients[client];
                foreach (var range in ranges.ToArray())
                {
                    doc.Store.IterateStructs(transaction, structs, range.Clock, range.Length, s =>
                    {
                        if (s is not Item item || item.Parent is not YText parent || !parent.HasFormatting || needFullCleanup.Contains(parent))
                        {
                            return;
                        }

                        if (item.Content is ContentFormat)
                        {
                            needFullCleanup.Add(parent);
                        }
                        else
                        {
                            CleanupContextlessFormattingGap(t, item);
                        }
                    });
                }
            }

            foreach (var text in needFullCleanup)
            {
                text.CleanupFormatting();
            }
        });
    }

    private static void DeleteText(Transaction transaction, TextPosition pos, int length)
    {
        var startLength = length;
        var startAttrs = pos.CurrentAttributes.Copy();
        var start = pos.Right;
        var store = transaction.Doc.Store;
        while (length > 0 && pos.Right != null)
        {
            var right = pos.Right;
            if (!right.Deleted && right.Content is ContentType or ContentEmbed or ContentString)
            {
                if (length < right.Length)
                {
                    store.GetItemCleanStart(transaction, new Id(right.Client, right.Clock + length));
                }

                length -= right.Length;
                right.Delete(transaction);
            }

            pos.Forward();
        }

        if (start != null)
        {
            CleanupFormattingGap(transaction, start, pos.Right, startAttrs, pos.CurrentAttributes);
        }

        var parent = (pos.Left ?? pos.Right)?.Parent;
        if (parent?.SearchMarkers != null)
        {
            SearchMarker.UpdateChanges(parent.SearchMarkers, pos.Index, -startLength + length);
        }
    }
}
