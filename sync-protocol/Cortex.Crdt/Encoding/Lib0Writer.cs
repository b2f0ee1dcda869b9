using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cortex.Crdt.Encoding;

/// <summary>Growable byte buffer writing lib0's primitives (varUint, varInt, varString, ...).</summary>
public sealed class Lib0Writer
{
    private byte[] _buffer;
    private int _length;

    public Lib0Writer(int capacity = 256)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
    }

    public int Length => _length;

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteVarUint(long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "varUint cannot be negative");
        }

        Ensure(10);
        var v = (ulong)value;
        while (v > 0x7F)
        {
            _buffer[_length++] = (byte)(0x80 | (v & 0x7F));
            v >>= 7;
        }

        _buffer[_length++] = (byte)v;
    }

    /// <summary>lib0 varInt: sign-magnitude, the sign in bit 6 of the first byte.</summary>
    public void WriteVarInt(long value, bool negativeZero = false)
    {
        var negative = value < 0 || negativeZero;
        var magnitude = value < 0 ? (ulong)(-value) : (ulong)value;
        Ensure(11);
        _buffer[_length++] = (byte)((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (int)(magnitude & 0x3F));
        magnitude >>= 6;
        while (magnitude > 0)
        {
            _buffer[_length++] = (byte)((magnitude > 0x7F ? 0x80 : 0) | (int)(magnitude & 0x7F));
            magnitude >>= 7;
        }
    }

    public void WriteString(string value)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max < 128)
        {
            Ensure(max + 1);
            var count = System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 1));
            _buffer[_length] = (byte)count;
            _length += count + 1;
            return;
        }

        var byteCount = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarUint(byteCount);
        Ensure(byteCount);
        _length += System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteVarBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarUint(bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteFloat32(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleBigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteFloat64(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleBigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }
}
