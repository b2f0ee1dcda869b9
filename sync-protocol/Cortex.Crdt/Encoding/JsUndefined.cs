namespace Cortex.Crdt.Encoding;

/// <summary>The JavaScript <c>undefined</c> value, distinct from <c>null</c> in lib0's any encoding.</summary>
public sealed class JsUndefined
{
    public static readonly JsUndefined Value = new();

    private JsUndefined()
    {
    }

    public override string ToString() => "undefined";
}
