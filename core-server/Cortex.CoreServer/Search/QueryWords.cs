using System.Buffers;
using System.Text.RegularExpressions;

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
                || tokens.Any(t => IsIdentifierToken(t.Value)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIdentifierToken(string token)
    {
        var hasLower = false;
        var hasUpper = false;
        var innerUpper = false;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (char.IsDigit(c) || c == '_')
            {
                return true;
            }

            hasLower |= char.IsLower(c);
            hasUpper |= char.IsUpper(c);
            innerUpper |= i > 0 && char.IsUpper(c) && char.IsLower(token[i - 1]);
        }

        return innerUpper || (hasUpper && !hasLower && token.Length >= 2);
    }

    [GeneratedRegex("[^\\s]+")]
    private static partial Regex ChunkPattern();

    [GeneratedRegex("[\\p{L}\\p{N}\\p{M}_]+")]
    private static partial Regex TokenPattern();
}
