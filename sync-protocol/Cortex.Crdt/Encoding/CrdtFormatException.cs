namespace Cortex.Crdt.Encoding;

/// <summary>The only exception decoders let escape: the input is not a valid yjs v1 update, state vector or message.</summary>
public sealed class CrdtFormatException : Exception
{
    public CrdtFormatException()
    {
    }

    public CrdtFormatException(string message)
        : base(message)
    {
    }

    public CrdtFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
