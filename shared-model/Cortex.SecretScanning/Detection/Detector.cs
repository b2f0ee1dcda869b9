using System.Text.RegularExpressions;

namespace Cortex.SecretScanning.Detection;

/// <summary>
/// One credential format: a linear-time pattern whose <c>secret</c> group is the span to report, literal keywords
/// that must occur for the pattern to be worth running, and checks that reject placeholders and look-alikes.
/// </summary>
internal sealed class Detector
{
    // Fails closed: a pattern that runs out of time throws rather than letting a secret through unreported.
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    private const RegexOptions BaseOptions =
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private readonly Regex _regex;
    private readonly string[] _keywords;
    private readonly Func<Candidate, bool> _accept;

    public Detector(
        string id,
        string kind,
        DetectorTier tier,
        string pattern,
        string[] keywords,
        Func<Candidate, bool> accept,
        bool ignoreCase = false)
    {
        Id = id;
        Kind = kind;
        Tier = tier;
        _keywords = keywords;
        _accept = accept;
        _regex = new Regex(pattern, BaseOptions | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout);
    }

    public string Id { get; }

    public string Kind { get; }

    public DetectorTier Tier { get; }

    /// <summary>The pattern's source; tests check that it stays free of anchors (see <see cref="Boundaries"/>).</summary>
    public string Pattern => _regex.ToString();

    public IEnumerable<Candidate> Find(string text)
    {
        if (_keywords.Length > 0 && !_keywords.Any(keyword => text.Contains(keyword, StringComparison.OrdinalIgnoreCase)))
        {
            yield break;
        }

        for (var match = _regex.Match(text); match.Success; match = match.NextMatch())
        {
            var secret = match.Groups["secret"];
            var group = secret.Success ? secret : match;
            var candidate = new Candidate(text, group.Index, group.Length);
            if (candidate.Length > 0 && _accept(candidate))
            {
                yield return candidate;
            }
        }
    }
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
