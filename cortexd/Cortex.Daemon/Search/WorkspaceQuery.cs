using Cortex.LocalSearch;

namespace Cortex.Daemon.Search;

/// <summary>A search as the CLI and the MCP tool take it: words for the kinds, trust levels and subcortex slugs.</summary>
internal sealed record WorkspaceQuery(
    string Text,
    IReadOnlyList<string>? Subcortexes = null,
    IReadOnlyList<string>? Kinds = null,
    IReadOnlyList<string>? TrustLevels = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int Limit = 10,
    bool KeywordOnly = false)
{
    /// <exception cref="ArgumentException">a kind or trust level is not one of the known words, or the limit is out of range.</exception>
    public SearchFilter ToFilter(Func<string, string> subcortexIdOfSlug)
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            throw new ArgumentException("the query is empty");
        }

        if (Limit is < 1 or > HybridSearch.MaxLimit)
        {
            throw new ArgumentException($"the limit must be from 1 to {HybridSearch.MaxLimit}, not {Limit}");
        }

        return new SearchFilter(
            Subcortexes?.Select(subcortexIdOfSlug).ToList(),
            Kinds?.Select(k => Parse(k, SearchText.ParseKind, "kind", "thread, comment, observation, artifact, draft, task")).ToList(),
            TrustLevels?.Select(t => Parse(t, SearchText.ParseTrust, "trust level", "canon, accepted, reviewed, comment, observation, draft")).ToList(),
            Since,
            Until);
    }

    private static T Parse<T>(string word, Func<string, T> parse, string what, string known)
    {
        try
        {
            return parse(word.Trim().ToLowerInvariant());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"'{word}' is not a {what}; use one of: {known}");
        }
    }
}
