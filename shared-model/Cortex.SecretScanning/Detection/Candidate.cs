namespace Cortex.SecretScanning.Detection;

/// <summary>A span of the scanned text that a detector's pattern matched, before its checks.</summary>
internal readonly record struct Candidate(string Text, int Start, int Length)
{
    public int End => Start + Length;

    public string Value => Text.Substring(Start, Length);

    // Context checks look this far around a candidate, so a megabyte-long line costs no more than a short one.
    private const int ContextReach = 512;

    /// <summary>The line the candidate starts on, without its line break, cut to <see cref="ContextReach"/> each side.</summary>
    public ReadOnlySpan<char> Line
    {
        get
        {
            var windowStart = Math.Max(0, Start - ContextReach);
            var lineStart = windowStart + Text.AsSpan(windowStart, Start - windowStart).LastIndexOfAny('\n', '\r') + 1;
            var rest = Text.AsSpan(lineStart, Math.Min(Text.Length, End + ContextReach) - lineStart);
            var lineLength = rest.IndexOfAny('\n', '\r');
            return lineLength < 0 ? rest : rest[..lineLength];
        }
    }

    /// <summary>The part of <see cref="Line"/> before the candidate.</summary>
    public ReadOnlySpan<char> LineBefore
    {
        get
        {
            var windowStart = Math.Max(0, Start - ContextReach);
            var before = Text.AsSpan(windowStart, Start - windowStart);
            return before[(before.LastIndexOfAny('\n', '\r') + 1)..];
        }
    }
}
