namespace Cortex.SecretScanning.Detection;

/// <summary>
/// One credential format: finds candidate spans in linear time and keeps those that pass its checks against
/// placeholders and look-alikes.
/// </summary>
internal abstract class Detector(string id, string kind, DetectorTier tier)
{
    /// <summary>Stable: stored with findings and used in allowlists and dashboards.</summary>
    public string Id { get; } = id;

    public string Kind { get; } = kind;

    public DetectorTier Tier { get; } = tier;

    /// <summary>The regular expression the detector runs; tests check that it stays free of anchors.</summary>
    public abstract string Pattern { get; }

    public abstract IEnumerable<Candidate> Find(string text);
}

/// <summary>Which detector wins when two report overlapping spans: the lower tier.</summary>
internal enum DetectorTier
{
    /// <summary>A format with a distinctive prefix or structure, e.g. <c>ghp_</c> or a PEM block.</summary>
    Format = 0,

    /// <summary>A credential inside a known structure: a URL, a connection string, an HTTP header.</summary>
    Structure = 1,

    /// <summary>A value assigned to a secret-looking name, judged by its entropy.</summary>
    Assignment = 2,
}
