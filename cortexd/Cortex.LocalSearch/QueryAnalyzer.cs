using System.Buffers;
using System.Text.RegularExpressions;
using Cortex.SharedModel.Search;

namespace Cortex.LocalSearch;

/// <summary>One searchable unit of a query: a word, or a phrase of the tokens of one identifier or quoted string.</summary>
/// <param name="Tokens">Lower-case tokens exactly as the FTS5 tokenizer (unicode61, '_' kept) produces them.</param>
/// <param name="IsIdentifier">
/// Looks like a code, flag, error number, path or name (digits, '_', inner capitals, joined by -./: or quoted):
/// when it occurs in the replica, keywords should dominate.
/// </param>
internal sealed record QueryUnit(IReadOnlyList<string> Tokens, bool IsIdentifier)
{
    public string MatchText => "\"" + string.Join(' ', Tokens) + "\"";
}

/// <summary>Splits a free-text query into units for FTS5, dropping stop words.</summary>
internal static partial class QueryAnalyzer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
        "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "down",
        "during", "each", "few", "for", "from", "get", "gets", "got", "had", "has", "have", "having", "he", "her",
        "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "keep", "keeps", "me", "more",
        "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out",
        "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
        "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
        "your", "yours", "us", "way", "ways", "anything", "something", "thing", "things", "happens", "happen", "use",
        "using", "used", "make", "makes", "need", "needs", "want", "know", "tell", "show", "find", "don", "doesn", "isn",
        "didn", "can't", "won",
    };

    private static readonly char[] EdgePunctuation = ['.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '<', '>', '\'', '`', '*'];

    private static readonly SearchValues<char> Joiners = SearchValues.Create("-._/:\\#@=+~");

    public static IReadOnlyList<QueryUnit> Analyze(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var units = new List<QueryUnit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(QueryUnit unit)
        {
            if (seen.Add(unit.MatchText))
            {
                units.Add(unit);
            }
        }

        foreach (Match chunk in ChunkPattern().Matches(query))
        {
            var quoted = chunk.Groups["quoted"].Success;
            var text = quoted ? chunk.Groups["quoted"].Value : chunk.Value.Trim(EdgePunctuation);
            var tokens = TokenPattern().Matches(text).Select(m => m.Value).ToList();
            if (tokens.Count == 0)
            {
                continue;
            }

            // "--no-verify", "v1.2.3", "cortexd/sync.cs" and quoted strings are searched as exact phrases; a chunk
            // split only by apostrophes or other punctuation ("don't") is a run of ordinary words.
            if (quoted || (tokens.Count > 1 && text.AsSpan().IndexOfAny(Joiners) >= 0) || text.StartsWith('-'))
            {
                Add(new QueryUnit([.. tokens.Select(t => t.ToLowerInvariant())], IsIdentifier: true));
                continue;
            }

            foreach (var token in tokens)
            {
                var lower = token.ToLowerInvariant();
                var isIdentifier = IdentifierWords.IsIdentifierToken(token);
                if (isIdentifier || (lower.Length >= 2 && !StopWords.Contains(lower)))
                {
                    Add(new QueryUnit([lower], isIdentifier));
                }
            }
        }

        return units;
    }

    public static string ToMatchExpression(IEnumerable<QueryUnit> units) => string.Join(" OR ", units.Select(u => u.MatchText));

    /// <summary>Words of the query worth highlighting in a snippet built outside FTS5.</summary>
    public static IReadOnlySet<string> HighlightTerms(IEnumerable<QueryUnit> units)
    {
        var terms = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var unit in units)
        {
            terms.UnionWith(unit.Tokens);
        }

        return terms;
    }

    // A chunk is a quoted string or a run of non-space characters; surrounding punctuation is shed by TokenPattern.
    [GeneratedRegex("\"(?<quoted>[^\"]+)\"|[^\\s\"]+")]
    private static partial Regex ChunkPattern();

    // Mirrors FTS5's unicode61 tokenizer with tokenchars '_': letters, digits (and marks) and underscores.
    [GeneratedRegex("[\\p{L}\\p{N}\\p{M}_]+")]
    private static partial Regex TokenPattern();
}
