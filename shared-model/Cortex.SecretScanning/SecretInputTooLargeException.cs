namespace Cortex.SecretScanning;

/// <summary>Thrown when a text is larger than <see cref="SecretScannerOptions.MaxInputLength"/>.</summary>
public sealed class SecretInputTooLargeException : ArgumentException
{
    public SecretInputTooLargeException(int length, int maxLength)
        : base($"Input of {length} characters exceeds the secret scanner's limit of {maxLength} characters (SecretScannerOptions.MaxInputLength).")
    {
        InputLength = length;
        MaxInputLength = maxLength;
    }

    public SecretInputTooLargeException()
    {
    }

    public SecretInputTooLargeException(string message)
        : base(message)
    {
    }

    public SecretInputTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int InputLength { get; }

    public int MaxInputLength { get; }
}
