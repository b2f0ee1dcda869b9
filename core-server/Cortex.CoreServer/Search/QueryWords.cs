using System.Buffers;
using System.Text.RegularExpressions;
using Cortex.SharedModel.Search;

namespace Cortex.CoreServer.Search;

/// <summary>
/// Spots identifier-like words in a query (codes, flags, error numbers, paths: digits, '_', inner capitals, ALLCAPS,
/// a leading '-', or parts joined by -./:#@=+~), the same rule as the replica's query analyzer. When one of them
/// matches, keywords should dominate the fusion: vectors blur exact identifiers.
/// </summary>
internal static partial class QueryWords
{
    private static readonly SearchValues<char> Joiners = SearchValues.Create("-._/:\\#@=+~");

    public static bool HasIdentifier(string query)
    {
        foreach (Match chunk in ChunkPattern().Matches(query))
        {
            var text = chunk.Value.Trim('.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '<', '>', '\'', '`', '*', '"');
            var tokens = TokenPattern().Matches(text);
            if (tokens.Count == 0)
            {
                continue;
            }

            if ((tokens.Count > 1 && text.AsSpan().IndexOfAny(Joiners) >= 0) || text.StartsWith('-')
                || tokens.Any(t => IdentifierWords.IsIdentifierToken(t.Value)))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("[^\\s]+")]
    private static partial Regex ChunkPattern();

    [GeneratedRegex("[\\p{L}\\p{N}\\p{M}_]+")]
    private static partial Regex TokenPattern();
}
