using System.Text;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Types;

/// <summary>A list of XML nodes (type ref 4).</summary>
public class YXmlFragment : AbstractType
{
    internal override AbstractType CopyEmpty() => new YXmlFragment();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(4);

    internal override void CallObserver(Transaction transaction, HashSet<string?> parentSubs)
    {
        base.CallObserver(transaction, parentSubs);
        if (HasListeners)
        {
            CallTypeObservers(transaction, new YXmlEvent(this, transaction, parentSubs));
        }
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
        var nodeName = NodeName.ToLowerInvariant();
        var sb = new StringBuilder();
        sb.Append('<').Append(nodeName);
        foreach (var key in attrs.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            sb.Append(' ').Append(key).Append("=\"").Append(AttributeText(attrs[key])).Append('"');
        }

        sb.Append('>').Append(ChildrenToString()).Append("</").Append(nodeName).Append('>');
        return sb.ToString();
    }

    private static string AttributeText(object? value) => YXmlText.JsString(value);
}

/// <summary>Text inside XML (type ref 6); formatting attributes render as nested tags.</summary>
public sealed class YXmlText : YText
{
    internal override AbstractType CopyEmpty() => new YXmlText();

    internal override void WriteTypeRef(Lib0Writer writer) => writer.WriteVarUint(6);

    /// <summary>
    /// yjs's rendering: each attribute becomes a tag (sorted by name) whose own attributes are the enumerable keys of the
    /// value, so a string value yields one attribute per character index, as in JavaScript.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var op in ToDelta())
        {
            var tags = op.Attributes?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList() ?? [];
            foreach (var tag in tags)
            {
                sb.Append('<').Append(tag);
                foreach (var (key, value) in EnumerableEntries(op.Attributes![tag]).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    sb.Append(' ').Append(key).Append("=\"").Append(JsString(value)).Append('"');
                }

                sb.Append('>');
            }

            sb.Append(op.Insert switch
            {
                string text => text,
                AbstractType t => t.ToString(),
                var other => JsString(other),
            });
            for (var i = tags.Count - 1; i >= 0; i--)
            {
                sb.Append("</").Append(tags[i]).Append('>');
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<KeyValuePair<string, object?>> EnumerableEntries(object? value) => value switch
    {
        string s => s.Select((c, i) => new KeyValuePair<string, object?>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), c.ToString())),
        JsObject o => o,
        List<object?> l => l.Select((v, i) => new KeyValuePair<string, object?>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)),
        _ => [],
    };

    /// <summary>JavaScript <c>String(value)</c> for any-values.</summary>
    internal static string JsString(object? value) => value switch
    {
        null => "null",
        JsUndefined => "undefined",
        string s => s,
        bool b => b ? "true" : "false",
        double d => JsJson.FormatNumber(d),
        long or int => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        List<object?> l => string.Join(",", l.Select(v => v is null or JsUndefined ? string.Empty : JsString(v))),
        _ => "[object Object]",
    };

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
        if (HasListeners)
        {
            CallTypeObservers(transaction, new YMapEvent(this, transaction, parentSubs));
        }
    }

    public void Set(string key, object? value) => RequireDoc().Transact(t => MapSet(t, key, value));

    public object? Get(string key) => MapTryGet(key, out var v) ? v : null;

    public override object? ToJson() => MapToJson();

    /// <summary>A hook has no XML rendering; yjs prints it as a plain object.</summary>
    public override string ToString() => "[object Object]";
}
