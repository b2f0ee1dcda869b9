using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cortex.Crdt.Encoding;

/// <summary>Reads lib0 primitives; every failure is a <see cref="CrdtFormatException"/>.</summary>
public sealed class Lib0Reader
{
    /// <summary>Largest integer JavaScript represents exactly (2^53−1); lib0 rejects larger varUints.</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly int _end;
    private int _position;

    public Lib0Reader(byte[] data)
        : this(data, 0, data.Length)
    {
    }

    public Lib0Reader(byte[] data, int offset, int count)
    {
        _data = data;
        _position = offset;
        _end = offset + count;
    }

    public int Position => _position;

    public int Remaining => _end - _position;

    public bool HasContent => _position < _end;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_position >= _end)
        {
            throw new CrdtFormatException("Unexpected end of input");
        }

        return _data[_position++];
    }

    public long ReadVarUint()
    {
        long num = 0;
        var shift = 0;
        while (true)
        {
            if (_position >= _end)
            {
                throw new CrdtFormatException("Unexpected end of input in varUint");
            }

            var r = _data[_position++];
            num |= (long)(r & 0x7F) << shift;
            if (r < 0x80)
            {
                if (num > MaxSafeInteger)
                {
                    throw new CrdtFormatException("varUint exceeds 2^53-1");
                }

                return num;
            }

            shift += 7;
            if (shift > 53)
            {
                throw new CrdtFormatException("varUint exceeds 2^53-1");
            }
        }
    }

    /// <summary>Reads a varUint that is used as a count or length of something in the remaining input.</summary>
    public int ReadLength(int minBytesPerElement = 1)
    {
        var n = ReadVarUint();
        if (n > Remaining / Math.Max(minBytesPerElement, 1) && minBytesPerElement > 0)
        {
            throw new CrdtFormatException($"Length {n} exceeds the remaining input");
        }

        return (int)n;
    }

    /// <summary>Reads a varUint that must fit in an int (lengths of structs etc.).</summary>
    public int ReadVarUintAsInt()
    {
        var n = ReadVarUint();
        if (n > int.MaxValue)
        {
            throw new CrdtFormatException("Length out of range");
        }

        return (int)n;
    }

    /// <summary>lib0 varInt; <paramref name="negativeZero"/> reports the −0 encoding.</summary>
    public long ReadVarInt(out bool negativeZero)
    {
        var r = ReadByte();
        long num = r & 0x3F;
        var negative = (r & 0x40) != 0;
        var shift = 6;
        while ((r & 0x80) != 0)
        {
            r = ReadByte();
            num |= (long)(r & 0x7F) << shift;
            shift += 7;
            if (shift > 60)
            {
                throw new CrdtFormatException("varInt out of range");
            }
        }

        if (num > MaxSafeInteger)
        {
            throw new CrdtFormatException("varInt exceeds 2^53-1");
        }

        negativeZero = negative && num == 0;
        return negative ? -num : num;
    }

    public ReadOnlySpan<byte> ReadSpan(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new CrdtFormatException("Unexpected end of input");
        }

        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public byte[] ReadVarBytes()
    {
        var n = ReadVarUint();
        if (n > Remaining)
        {
            throw new CrdtFormatException("Byte array length exceeds the remaining input");
        }

        return ReadSpan((int)n).ToArray();
    }

    public string ReadString()
    {
        var n = ReadVarUint();
        if (n > Remaining)
        {
            throw new CrdtFormatException("String length exceeds the remaining input");
        }

        var span = ReadSpan((int)n);
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (ArgumentException e)
        {
            throw new CrdtFormatException("Invalid UTF-8 in string", e);
        }
    }

    public float ReadFloat32() => BinaryPrimitives.ReadSingleBigEndian(ReadSpan(4));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(ReadSpan(8));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(ReadSpan(8));
}
