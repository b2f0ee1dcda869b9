using System.Buffers.Text;
using System.Text;
using Cortex.CoreServer.Errors;

namespace Cortex.CoreServer.Apis;

/// <summary>One page of a list, with the opaque cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Opaque cursors (base64url of a position key) and bounded limits for every list.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw CortexException.Invalid("limit", $"Must be between 1 and {MaxLimit}."),
    };

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1:" + position));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("v1:", StringComparison.Ordinal) && text.Length > 3)
            {
                return text[3..];
            }
        }
        catch (FormatException)
        {
        }

        throw CortexException.Invalid("cursor", "Not a cursor returned by this list.");
    }

    /// <summary>Builds the page from <paramref name="rows"/> fetched with <c>limit + 1</c>: the extra row means there is more.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> position)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(limit);
        return new Page<T>(rows, Encode(position(rows[^1])));
    }
}
