using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Structs;

/// <summary>The payload of an <see cref="Item"/>; <see cref="Ref"/> is the content ref in the struct info byte.</summary>
public abstract class Content
{
    public abstract int Ref { get; }

    public abstract int Length { get; }

    public abstract bool Countable { get; }

    /// <summary>The values this content contributes to its parent, one per clock.</summary>
    public abstract IReadOnlyList<object?> GetContent();

    internal abstract Content Copy();

    /// <summary>Cuts this content at <paramref name="offset"/>, keeping the left part and returning the right part.</summary>
    internal abstract Content Splice(int offset);

    internal virtual bool MergeWith(Content right) => false;

    internal virtual void Integrate(Transaction transaction, Item item)
    {
    }

    internal virtual void Delete(Transaction transaction)
    {
    }

    internal virtual void Gc(StructStore store)
    {
    }

    internal abstract void Write(Lib0Writer writer, int offset);

    internal static Content Read(Lib0Reader reader, int contentRef) => contentRef switch
    {
        1 => new ContentDeleted(reader.ReadVarUintAsInt()),
        2 => ContentJson.ReadFrom(reader),
        3 => new ContentBinary(reader.ReadVarBytes()),
        4 => new ContentString(reader.ReadString()),
        5 => new ContentEmbed(JsJson.Parse(reader.ReadString())),
        6 => new ContentFormat(reader.ReadString(), JsJson.Parse(reader.ReadString())),
        7 => new ContentType(Types.AbstractType.ReadTypeRef(reader)),
        8 => ContentAny.ReadFrom(reader),
        9 => ContentDoc.ReadFrom(reader),
        _ => throw new CrdtFormatException($"Unknown content ref {contentRef}"),
    };
}

public sealed class ContentDeleted(int length) : Content
{
    private int _length = length;

    public override int Ref => 1;

    public override int Length => _length;

    public override bool Countable => false;

    public override IReadOnlyList<object?> GetContent() => [];

    internal override Content Copy() => new ContentDeleted(_length);

    internal override Content Splice(int offset)
    {
        var right = new ContentDeleted(_length - offset);
        _length = offset;
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        _length += right.Length;
        return true;
    }

    internal override void Integrate(Transaction transaction, Item item)
    {
        transaction.DeleteSet.Add(item.Client, item.Clock, _length);
        item.MarkDeleted();
    }

    internal override void Write(Lib0Writer writer, int offset) => writer.WriteVarUint(_length - offset);
}

/// <summary>Legacy JSON content (ref 2): each element is JSON text, the literal <c>undefined</c> meaning undefined.</summary>
public sealed class ContentJson(List<object?> values) : Content
{
    private List<object?> _values = values;

    public override int Ref => 2;

    public override int Length => _values.Count;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => _values;

    internal static ContentJson ReadFrom(Lib0Reader reader)
    {
        var n = reader.ReadLength();
        var list = new List<object?>(n);
        for (var i = 0; i < n; i++)
        {
            var s = reader.ReadString();
            list.Add(s == "undefined" ? JsUndefined.Value : JsJson.Parse(s));
        }

        return new ContentJson(list);
    }

    internal override Content Copy() => new ContentJson([.. _values]);

    internal override Content Splice(int offset)
    {
        var right = new ContentJson(_values.GetRange(offset, _values.Count - offset));
        _values = _values.GetRange(0, offset);
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        _values.AddRange(((ContentJson)right)._values);
        return true;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteVarUint(_values.Count - offset);
        for (var i = offset; i < _values.Count; i++)
        {
            var c = _values[i];
            writer.WriteString(c is JsUndefined ? "undefined" : JsJson.Stringify(c));
        }
    }
}

public sealed class ContentBinary(byte[] data) : Content
{
    public byte[] Data { get; } = data;

    public override int Ref => 3;

    public override int Length => 1;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => [Data];

    internal override Content Copy() => new ContentBinary(Data);

    internal override Content Splice(int offset) => throw new InvalidOperationException("Binary content cannot be split");

    internal override void Write(Lib0Writer writer, int offset) => writer.WriteVarBytes(Data);
}

/// <summary>Text (ref 4); length in UTF-16 code units.</summary>
public sealed class ContentString : Content
{
    // Typing appends to the same item over and over; a builder keeps merges amortised O(1) (JS strings are ropes).
    private string? _text;
    private System.Text.StringBuilder? _builder;

    public ContentString(string text)
    {
        _text = text;
    }

    public string Text
    {
        get => _text ??= _builder!.ToString();
        internal set
        {
            _text = value;
            _builder = null;
        }
    }

    public override int Ref => 4;

    public override int Length => _builder?.Length ?? _text!.Length;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent()
    {
        var text = Text;
        var list = new object?[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            list[i] = text[i].ToString();
        }

        return list;
    }

    internal void AppendTo(System.Text.StringBuilder sb)
    {
        if (_builder != null)
        {
            sb.Append(_builder);
        }
        else
        {
            sb.Append(_text);
        }
    }

    internal override Content Copy() => new ContentString(Text);

    internal override Content Splice(int offset)
    {
        var text = Text;
        var right = new ContentString(text[offset..]);
        var left = text[..offset];

        // yjs#248: a split surrogate pair becomes U+FFFD on both sides; lengths are unchanged.
        if (char.IsHighSurrogate(left[offset - 1]))
        {
            left = string.Concat(left.AsSpan(0, offset - 1), "\uFFFD");
            right.Text = string.Concat("\uFFFD", right.Text.AsSpan(1));
        }

        Text = left;
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        var other = (ContentString)right;
        if (_builder == null)
        {
            _builder = new System.Text.StringBuilder(_text, Math.Max(16, _text!.Length * 2));
        }

        other.AppendTo(_builder);
        _text = null;
        return true;
    }

    internal override void Write(Lib0Writer writer, int offset) =>
        writer.WriteString(offset == 0 ? Text : Text[offset..]);
}

public sealed class ContentEmbed(object? embed) : Content
{
    public object? Embed { get; } = embed;

    public override int Ref => 5;

    public override int Length => 1;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => [Embed];

    internal override Content Copy() => new ContentEmbed(Embed);

    internal override Content Splice(int offset) => throw new InvalidOperationException("Embed content cannot be split");

    internal override void Write(Lib0Writer writer, int offset) => writer.WriteString(JsJson.Stringify(Embed));
}

public sealed class ContentFormat(string key, object? value) : Content
{
    public string Key { get; } = key;

    public object? Value { get; } = value;

    public override int Ref => 6;

    public override int Length => 1;

    public override bool Countable => false;

    public override IReadOnlyList<object?> GetContent() => [];

    internal override Content Copy() => new ContentFormat(Key, Value);

    internal override Content Splice(int offset) => throw new InvalidOperationException("Format content cannot be split");

    internal override void Integrate(Transaction transaction, Item item)
    {
        var parent = item.Parent!;
        parent.SearchMarkers = null;
        parent.HasFormatting = true;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteString(Key);
        writer.WriteString(JsJson.Stringify(Value));
    }
}

/// <summary>JSON-like values (ref 8), written with lib0's any encoding.</summary>
public sealed class ContentAny(List<object?> values) : Content
{
    private List<object?> _values = values;

    public override int Ref => 8;

    public override int Length => _values.Count;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => _values;

    internal static ContentAny ReadFrom(Lib0Reader reader)
    {
        var n = reader.ReadLength();
        var list = new List<object?>(n);
        for (var i = 0; i < n; i++)
        {
            list.Add(AnyEncoding.Read(reader));
        }

        return new ContentAny(list);
    }

    internal override Content Copy() => new ContentAny([.. _values]);

    internal override Content Splice(int offset)
    {
        var right = new ContentAny(_values.GetRange(offset, _values.Count - offset));
        _values = _values.GetRange(0, offset);
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        _values.AddRange(((ContentAny)right)._values);
        return true;
    }

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteVarUint(_values.Count - offset);
        for (var i = offset; i < _values.Count; i++)
        {
            AnyEncoding.Write(writer, _values[i]);
        }
    }
}

/// <summary>A nested shared type (ref 7).</summary>
public sealed class ContentType(Types.AbstractType type) : Content
{
    public Types.AbstractType Type { get; } = type;

    public override int Ref => 7;

    public override int Length => 1;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => [Type];

    internal override Content Copy() => new ContentType(Type.CopyEmpty());

    internal override Content Splice(int offset) => throw new InvalidOperationException("Type content cannot be split");

    internal override void Integrate(Transaction transaction, Item item) => Type.IntegrateInto(transaction.Doc, item);

    internal override void Delete(Transaction transaction)
    {
        var item = Type.Start;
        while (item != null)
        {
            DeleteChild(transaction, item);
            item = item.Right;
        }

        foreach (var child in Type.MapItems.Values)
        {
            DeleteChild(transaction, child);
        }

        transaction.Changed.Remove(Type);
    }

    private static void DeleteChild(Transaction transaction, Item item)
    {
        if (!item.Deleted)
        {
            item.Delete(transaction);
        }
        else if (item.Clock < transaction.BeforeStateOf(item.Client))
        {
            // Will be GC'd later; remember it so it can be merged with its neighbours.
            transaction.MergeStructs.Add(item);
        }
    }

    internal override void Gc(StructStore store)
    {
        var item = Type.Start;
        while (item != null)
        {
            item.Gc(store, true);
            item = item.Right;
        }

        Type.Start = null;
        foreach (var chainEnd in Type.MapItems.Values)
        {
            Item? i = chainEnd;
            while (i != null)
            {
                i.Gc(store, true);
                i = i.Left;
            }
        }

        Type.MapItems.Clear();
    }

    internal override void Write(Lib0Writer writer, int offset) => Type.WriteTypeRef(writer);
}

/// <summary>A subdocument (ref 9): its guid and options.</summary>
public sealed class ContentDoc(SubDocument document) : Content
{
    public SubDocument Document { get; } = document;

    public override int Ref => 9;

    public override int Length => 1;

    public override bool Countable => true;

    public override IReadOnlyList<object?> GetContent() => [Document];

    internal static ContentDoc ReadFrom(Lib0Reader reader)
    {
        var guid = reader.ReadString();
        var opts = AnyEncoding.Read(reader);
        return new ContentDoc(SubDocument.FromOptions(guid, opts));
    }

    internal override Content Copy() => new ContentDoc(new SubDocument(Document.Guid, Document.Gc, Document.AutoLoad, Document.Meta));

    internal override Content Splice(int offset) => throw new InvalidOperationException("Doc content cannot be split");

    internal override void Write(Lib0Writer writer, int offset)
    {
        writer.WriteString(Document.Guid);
        AnyEncoding.Write(writer, Document.Options());
    }
}

/// <summary>The reference to a subdocument kept in its parent: guid and the options yjs persists (gc, autoLoad, meta).</summary>
public sealed class SubDocument(string guid, bool gc = true, bool autoLoad = false, object? meta = null)
{
    public string Guid { get; } = guid;

    public bool Gc { get; } = gc;

    public bool AutoLoad { get; } = autoLoad;

    public object? Meta { get; } = meta;

    internal static SubDocument FromOptions(string guid, object? options)
    {
        if (options is not JsObject opts)
        {
            return new SubDocument(guid);
        }

        var gc = !opts.TryGetValue("gc", out var g) || g is not false;
        var autoLoad = opts.TryGetValue("autoLoad", out var a) && IsTruthy(a);
        opts.TryGetValue("meta", out var meta);
        return new SubDocument(guid, gc, autoLoad, meta is JsUndefined ? null : meta);
    }

    private static bool IsTruthy(object? v) => v switch
    {
        null or JsUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    internal JsObject Options()
    {
        var opts = new JsObject();
        if (!Gc)
        {
            opts["gc"] = false;
        }

        if (AutoLoad)
        {
            opts["autoLoad"] = true;
        }

        if (Meta != null)
        {
            opts["meta"] = Meta;
        }

        return opts;
    }

    /// <summary>As <c>JSON.stringify</c> of an unloaded yjs subdocument: it has no shared types, so an empty object.</summary>
    public object ToJson() => new JsObject();
}
