using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Highlighted snippets: FTS5's <c>snippet()</c> for items the keyword side matched; for items found only by
/// their vectors (no query word in them, or a word FTS5 would not match), the start of the body with any
/// query words marked the same way.
/// </summary>
internal static partial class Snippets
{
    public static Dictionary<long, string> FromFts(
        SqliteConnection connection, string matchExpression, IEnumerable<long> rowIds, HybridSearchOptions options)
    {
        var snippets = new Dictionary<long, string>();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT snippet(search_fts, -1, $open, $close, '…', $tokens)
            FROM search_fts WHERE search_fts MATCH $match AND rowid = $rowId
            """;
        command.Parameters.AddWithValue("$open", options.HighlightOpen);
        command.Parameters.AddWithValue("$close", options.HighlightClose);
        command.Parameters.AddWithValue("$tokens", options.SnippetTokens);
        command.Parameters.AddWithValue("$match", matchExpression);
        var rowId = command.Parameters.Add("$rowId", SqliteType.Integer);
        foreach (var id in rowIds)
        {
            rowId.Value = id;
            if (command.ExecuteScalar() is string snippet)
            {
                snippets[id] = snippet;
            }
        }

        return snippets;
    }

    public static string Lead(string body, IReadOnlySet<string> terms, HybridSearchOptions options)
    {
        var builder = new StringBuilder();
        var words = 0;
        var end = 0;
        foreach (Match token in TokenPattern().Matches(body))
        {
            if (words == options.SnippetTokens)
            {
                break;
            }

            builder.Append(body, end, token.Index - end);
            if (terms.Contains(token.Value))
            {
                builder.Append(options.HighlightOpen).Append(token.Value).Append(options.HighlightClose);
            }
            else
            {
                builder.Append(token.Value);
            }

            end = token.Index + token.Length;
            words++;
        }

        if (end < body.Length && words == options.SnippetTokens)
        {
            builder.Append('…');
        }
        else
        {
            builder.Append(body, end, body.Length - end);
        }

        return builder.ToString().Trim();
    }

    [GeneratedRegex("[\\p{L}\\p{N}\\p{M}_]+")]
    private static partial Regex TokenPattern();
}
