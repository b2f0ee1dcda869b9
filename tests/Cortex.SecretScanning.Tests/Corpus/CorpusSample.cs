namespace Cortex.SecretScanning.Tests.Corpus;

/// <summary>
/// One labelled text. A positive has the kind it must be reported as; a synthetic positive also knows exactly where
/// its secret is, so the test can check the reported span. A negative (kind null) must produce no finding at all.
/// </summary>
public sealed record CorpusSample(string Source, string Text, string? Kind, int SecretStart = -1, int SecretLength = 0)
{
    public bool HasKnownSpan => SecretStart >= 0;

    public string Secret => HasKnownSpan ? Text.Substring(SecretStart, SecretLength) : string.Empty;
}
