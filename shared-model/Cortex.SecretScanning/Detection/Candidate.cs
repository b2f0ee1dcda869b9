namespace Cortex.SecretScanning.Detection;

/// <summary>A span of the scanned text that a detector's pattern matched, before its checks.</summary>
internal readonly record struct Candidate(string Text, int Start, int Length)
{
    public int End => Start + Length;

    public string Value => Text.Substring(Start, Length);

    /// <summary>The whole line the candidate starts on, without its line break.</summary>
    public ReadOnlySpan<char> Line
    {
        get
        {
            var lineStart = Text.AsSpan(0, Start).LastIndexOfAny('\n', '\r') + 1;
            var rest = Text.AsSpan(lineStart);
            var lineLength = rest.IndexOfAny('\n', '\r');
            return lineLength < 0 ? rest : rest[..lineLength];
        }
    }
}
