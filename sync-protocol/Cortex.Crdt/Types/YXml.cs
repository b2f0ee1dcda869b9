using System.Text;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>A list of XML nodes (type ref 4).</summary>
public class YXmlFragment : AbstractType
{
    internal override AbstractType CopyEmpty() => new YXmlFragment();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(4);

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        CallTypeObservers(transaction, new YMapEvent(this, transaction, parentSubs));
    }

    public int Count => Length;

    public void Insert(int index, params AbstractType[] nodes) =>
        RequireDoc().Transact(t => ListInsert(t, index, nodes));

    public void Delete(int index, int length = 1) => RequireDoc().Transact(t => ListDelete(t, index, length));

    public List<object?> ToList() => ListToArray();

    protected string ChildrenToString()
    {
        var sb = new StringBuilder();
        foreach (var child in ListToArray())
        {
            sb.Append(child);
        }

        return sb.ToString();
    }

    public override string ToString() => ChildrenToString();

    public override object? ToJson() => ToString();
}

/// <summary>An XML element with a node name, attributes (map entries) and children (type ref 3).</summary>
public sealed class YXmlElement(string nodeName) : YXmlFragment
{
    public string NodeName { get; } = nodeName;

    internal override AbstractType CopyEmpty() => new YXmlElement(NodeName);

    internal override void WriteTypeRef(Lib0Writer writer)
    {
        writer.WriteVarUint(3);
        writer.WriteString(NodeName);
    }

    public void SetAttribute(string name, object? value) => RequireDoc().Transact(t => MapSet(t, name, value));

    public void RemoveAttribute(string name) => RequireDoc().Transact(t => MapDelete(t, name));

    public object? GetAttribute(string name) => MapTryGet(name, out var v) ? v : null;

    public override string ToString()
    {
        var attrs = MapToJson();
        var sb = new StringBuilder();
        sb.Append('<').Append(NodeName);
        foreach (var key in attrs.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            sb.Append(' ').Append(key).Append("=\"").Append(AttributeText(attrs[key])).Append('"');
        }

        sb.Append('>').Append(ChildrenToString()).Append("</").Append(NodeName).Append('>');
        return sb.ToString();
    }

    private static string AttributeText(object? value) => value switch
    {
        string s => s,
        null => "null",
        bool b => b ? "true" : "false",
        double d => JsJson.FormatNumber(d),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => JsJson.Stringify(value),
    };
}

/// <summary>Text inside XML (type ref 6); formatting attributes render as nested tags.</summary>
public sealed class YXmlText : YText
{
    internal override AbstractType CopyEmpty() => new YXmlText();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(6);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var op in ToDelta())
        {
            var attrs = op.Attributes?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList() ?? [];
            foreach (var key in attrs)
            {
                sb.Append('<').Append(key);
                if (op.Attributes![key] is JsObject nested)
                {
                    foreach (var (k, v) in nested)
                    {
                        sb.Append(' ').Append(k).Append("=\"").Append(v).Append('"');
                    }
                }

                sb.Append('>');
            }

            sb.Append(op.Insert is AbstractType t ? t.ToJson() : op.Insert);
            for (var i = attrs.Count - 1; i >= 0; i--)
            {
                sb.Append("</").Append(attrs[i]).Append('>');
            }
        }

        return sb.ToString();
    }

    public override object? ToJson() => ToString();
}

/// <summary>A custom XML hook: a map with a hook name (type ref 5).</summary>
public sealed class YXmlHook(string hookName) : AbstractType
{
    public string HookName { get; } = hookName;

    internal override AbstractType CopyEmpty() => new YXmlHook(HookName);

    internal override void WriteTypeRef(Lib0Writer writer)
    {
        writer.WriteVarUint(5);
        writer.WriteString(HookName);
    }

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        CallTypeObservers(transaction, new YMapEvent(this, transaction, parentSubs));
    }

    public void Set(string key, object? value) => RequireDoc().Transact(t => MapSet(t, key, value));

    public object? Get(string key) => MapTryGet(key, out var v) ? v : null;

    public override object? ToJson() => MapToJson();

    /// <summary>A hook has no XML rendering; yjs prints it as a plain object.</summary>
    public override string ToString() => "[object Object]";
}

internal static class XmlContent
{
    public static bool IsXmlNode(Content content) => content is ContentType { Type: YXmlFragment or YXmlText or YXmlHook };
}
