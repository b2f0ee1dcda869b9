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
    private readonly string[] _keywords;
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
        _keywords = keywords;
        _accept = accept;
        _regex = new Regex(pattern, Options | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout);
    }

    public override string Pattern => _regex.ToString();

    public override IEnumerable<Candidate> Find(string text)
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
