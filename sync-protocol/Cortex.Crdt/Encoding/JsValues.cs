namespace Cortex.Crdt.Encoding;

/// <summary>JavaScript equality over any-values.</summary>
public static class JsValues
{
    /// <summary>JavaScript <c>===</c>: primitives by value (numbers as doubles), objects by reference.</summary>
    public static bool StrictEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a == null || b == null)
        {
            return false;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }

        return a switch
        {
            string s => b is string t && s == t,
            bool x => b is bool y && x == y,
            System.Numerics.BigInteger x => b is System.Numerics.BigInteger y && x == y,
            _ => false,
        };
    }

    /// <summary>yjs's <c>equalAttrs</c>: strict equality, or shallow equality of two objects.</summary>
    public static bool EqualAttrs(object? a, object? b)
    {
        if (StrictEquals(a, b))
        {
            return true;
        }

        if (a is JsObject oa && b is JsObject ob)
        {
            if (oa.Count != ob.Count)
            {
                return false;
            }

            foreach (var (key, value) in oa)
            {
                if (!ob.TryGetValue(key, out var other))
                {
                    if (value is not JsUndefined)
                    {
                        return false;
                    }
                }
                else if (!StrictEquals(value, other))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is List<object?> la && b is List<object?> lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!StrictEquals(la[i], lb[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    public static bool IsNumber(object? v) => v is long or int or double or float or short or byte or sbyte or uint or ushort or ulong or decimal;

    public static double ToDouble(object v) => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);
}
