using System.Numerics;

namespace Cortex.Crdt.Encoding;

/// <summary>
/// lib0's <c>writeAny</c>/<c>readAny</c>. Values map to C# as: null, <see cref="JsUndefined"/>, bool, long (integer tag),
/// double (float tags), <see cref="BigInteger"/> (BigInt64), string, <see cref="List{T}"/> of object?, <see cref="JsObject"/>, byte[].
/// </summary>
public static class AnyEncoding
{
    private const int MaxDepth = 256;
    private const long Bits31 = 0x7FFFFFFF;

    public static void Write(Lib0Writer writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteByte(126);
                break;
            case JsUndefined:
                writer.WriteByte(127);
                break;
            case bool b:
                writer.WriteByte(b ? (byte)120 : (byte)121);
                break;
            case string s:
                writer.WriteByte(119);
                writer.WriteString(s);
                break;
            case int i:
                WriteNumber(writer, i);
                break;
            case long l:
                WriteNumber(writer, l);
                break;
            case double d:
                WriteNumber(writer, d);
                break;
            case float f:
                WriteNumber(writer, f);
                break;
            case short or ushort or byte or sbyte or uint:
                WriteNumber(writer, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong ul:
                WriteNumber(writer, (double)ul);
                break;
            case decimal m:
                WriteNumber(writer, (double)m);
                break;
            case BigInteger big:
                writer.WriteByte(122);
                writer.WriteInt64((long)(ulong)(big & ulong.MaxValue));
                break;
            case byte[] bytes:
                writer.WriteByte(116);
                writer.WriteVarBytes(bytes);
                break;
            case DateTime or DateTimeOffset:
                // JSON-like objects without own enumerable keys: yjs writes a JS Date as an empty object.
                writer.WriteByte(118);
                writer.WriteVarUint(0);
                break;
            case IReadOnlyDictionary<string, object?> obj:
                writer.WriteByte(118);
                writer.WriteVarUint(obj.Count);
                foreach (var (key, v) in obj)
                {
                    writer.WriteString(key);
                    Write(writer, v);
                }

                break;
            case IDictionary<string, object?> dict:
                writer.WriteByte(118);
                writer.WriteVarUint(dict.Count);
                foreach (var (key, v) in dict)
                {
                    writer.WriteString(key);
                    Write(writer, v);
                }

                break;
            case System.Collections.IList list:
                writer.WriteByte(117);
                writer.WriteVarUint(list.Count);
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                break;
            default:
                throw new ArgumentException($"Cannot encode a value of type {value.GetType()} as a lib0 any", nameof(value));
        }
    }

    public static void WriteNumber(Lib0Writer writer, long value)
    {
        if (value >= -Bits31 && value <= Bits31)
        {
            writer.WriteByte(125);
            writer.WriteVarInt(value);
        }
        else
        {
            WriteNumber(writer, (double)value);
        }
    }

    public static void WriteNumber(Lib0Writer writer, double value)
    {
        if (Math.Abs(value) <= Bits31 && Math.Floor(value) == value)
        {
            writer.WriteByte(125);
            writer.WriteVarInt((long)value, value == 0 && double.IsNegative(value));
        }
        else if ((double)(float)value == value)
        {
            writer.WriteByte(124);
            writer.WriteFloat32((float)value);
        }
        else
        {
            writer.WriteByte(123);
            writer.WriteFloat64(value);
        }
    }

    public static object? Read(Lib0Reader reader) => Read(reader, 0);

    private static object? Read(Lib0Reader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CrdtFormatException("Nesting too deep");
        }

        var tag = reader.ReadByte();
        switch (tag)
        {
            case 127:
                return JsUndefined.Value;
            case 126:
                return null;
            case 125:
                {
                    var n = reader.ReadVarInt(out var negativeZero);
                    return negativeZero ? -0.0 : n;
                }

            case 124:
                return (double)reader.ReadFloat32();
            case 123:
                return reader.ReadFloat64();
            case 122:
                return new BigInteger(reader.ReadInt64());
            case 121:
                return false;
            case 120:
                return true;
            case 119:
                return reader.ReadString();
            case 118:
                {
                    var count = reader.ReadLength(2);
                    var obj = new JsObject();
                    for (var i = 0; i < count; i++)
                    {
                        var key = reader.ReadString();
                        obj[key] = Read(reader, depth + 1);
                    }

                    return obj;
                }

            case 117:
                {
                    var count = reader.ReadLength();
                    var list = new List<object?>(count);
                    for (var i = 0; i < count; i++)
                    {
                        list.Add(Read(reader, depth + 1));
                    }

                    return list;
                }

            case 116:
                return reader.ReadVarBytes();
            default:
                // lib0 reads unknown tags as undefined.
                return JsUndefined.Value;
        }
    }
}
