using System.Buffers;
using System.Text.RegularExpressions;

namespace Cortex.SecretScanning.Detection;

/// <summary>
/// A detector whose pattern's <c>secret</c> group (or, without one, the whole match) is the span to report, with
/// literal keywords that must occur for the pattern to be worth running.
/// </summary>
internal sealed class RegexDetector : Detector
{
    // Fails closed: a pattern that runs out of time throws rather than letting a secret through unreported.
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    public const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private readonly Regex _regex;
    // One vectorized pass for all keywords: string.Contains with OrdinalIgnoreCase is a scalar loop per keyword under
    // InvariantGlobalization, and was half the server's CPU per ingested observation (bench/README.md).
    private readonly SearchValues<string>? _keywords;
    private readonly Func<Candidate, bool> _accept;

    public RegexDetector(
        string id,
        string kind,
        DetectorTier tier,
        string pattern,
        string[] keywords,
        Func<Candidate, bool> accept,
        bool ignoreCase = false)
        : base(id, kind, tier)
    {
        _keywords = keywords.Length > 0 ? SearchValues.Create(keywords, StringComparison.OrdinalIgnoreCase) : null;
        _accept = accept;
        _regex = new Regex(pattern, Options | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout);
    }

    public override string Pattern => _regex.ToString();

    // Most texts hold none of a detector's keywords: answering those without an iterator saves an allocation per
    // detector and text.
    public override IEnumerable<Candidate> Find(string text) =>
        _keywords is not null && !text.AsSpan().ContainsAny(_keywords) ? [] : Matches(text);

    private IEnumerable<Candidate> Matches(string text)
    {
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
