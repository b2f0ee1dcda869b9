using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Cortex.Crdt.Encoding;

/// <summary>JSON with JavaScript's <c>JSON.stringify</c>/<c>JSON.parse</c> conventions over the values of <see cref="AnyEncoding"/>.</summary>
public static class JsJson
{
    private const int MaxDepth = 256;

    // Document JSON nests shared types (up to AbstractType.MaxNestingDepth) and any-values (up to 256) inside each other.
    private const int MaxWriteDepth = 2048;

    public static string Stringify(object? value) => Stringify(value, bigIntsAsNumbers: false);

    /// <summary>
    /// <paramref name="bigIntsAsNumbers"/>: write BigInt values as plain JSON numbers instead of failing as JSON.stringify does.
    /// </summary>
    public static string Stringify(object? value, bool bigIntsAsNumbers)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0, bigIntsAsNumbers);
        return sb.ToString();
    }

    public static void Write(StringBuilder sb, object? value, int depth = 0, bool bigIntsAsNumbers = false)
    {
        if (depth > MaxWriteDepth)
        {
            throw new InvalidOperationException("Value nested too deeply to stringify");
        }

        switch (value)
        {
            case null or JsUndefined:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case int or long or short or byte or sbyte or uint or ushort:
                sb.Append(System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(FormatNumber(d));
                break;
            case float f:
                sb.Append(FormatNumber(f));
                break;
            case BigInteger big when bigIntsAsNumbers:
                sb.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger:
                throw new InvalidOperationException("Do not know how to serialize a BigInt");
            case byte[] bytes:
                // JSON.stringify(Uint8Array) gives an object keyed by index.
                sb.Append('{');
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append('"').Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":").Append(bytes[i].ToString(CultureInfo.InvariantCulture));
                }

                sb.Append('}');
                break;
            case IEnumerable<KeyValuePair<string, object?>> obj:
                {
                    sb.Append('{');
                    var first = true;
                    foreach (var (key, v) in obj)
                    {
                        if (v is JsUndefined)
                        {
                            continue;
                        }

                        if (!first)
                        {
                            sb.Append(',');
                        }

                        first = false;
                        WriteString(sb, key);
                        sb.Append(':');
                        Write(sb, v, depth + 1, bigIntsAsNumbers);
                    }

                    sb.Append('}');
                    break;
                }

            case System.Collections.IEnumerable list:
                {
                    sb.Append('[');
                    var first = true;
                    foreach (var v in list)
                    {
                        if (!first)
                        {
                            sb.Append(',');
                        }

                        first = false;
                        Write(sb, v, depth + 1, bigIntsAsNumbers);
                    }

                    sb.Append(']');
                    break;
                }

            default:
                WriteString(sb, value.ToString() ?? string.Empty);
                break;
        }
    }

    /// <summary>JavaScript's Number#toString for finite numbers; NaN and infinities become null as in JSON.</summary>
    public static string FormatNumber(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return "null";
        }

        if (d == 0)
        {
            return "0";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        string digits;
        int exponent;
        var negative = r[0] == '-';
        var mantissa = e >= 0 ? r[..e] : r;
        if (negative)
        {
            mantissa = mantissa[1..];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        exponent = intPart.Length - leadingZeros + (e >= 0 ? int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture) : 0);
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        // JS: value = 0.digits * 10^exponent; n = exponent, k = digits.Length
        var k = digits.Length;
        var n = exponent;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Parses JSON text into any-values; malformed text is a <see cref="CrdtFormatException"/>.</summary>
    public static object? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return FromElement(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new CrdtFormatException("Invalid JSON content", e);
        }
    }

    private static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                {
                    var d = element.GetDouble();
                    if (Math.Floor(d) == d && Math.Abs(d) <= Lib0Reader.MaxSafeInteger && !(d == 0 && double.IsNegative(d)))
                    {
                        return (long)d;
                    }

                    return d;
                }

            case JsonValueKind.Array:
                {
                    var list = new List<object?>(element.GetArrayLength());
                    foreach (var e in element.EnumerateArray())
                    {
                        list.Add(FromElement(e));
                    }

                    return list;
                }

            case JsonValueKind.Object:
                {
                    var obj = new JsObject();
                    foreach (var p in element.EnumerateObject())
                    {
                        obj[p.Name] = FromElement(p.Value);
                    }

                    return obj;
                }

            default:
                throw new CrdtFormatException("Unsupported JSON value");
        }
    }
}
