using System.Globalization;
using System.Text;

namespace Cortex.ObjectStore;

/// <summary>
/// Turns a client-supplied file name into one that is safe to show, to put in a Content-Disposition header and to
/// write to any file system, while keeping it readable: <c>../../etc/passwd</c> becomes <c>passwd</c>,
/// <c>C:\Users\x\report.pdf</c> becomes <c>report.pdf</c>, <c>CON.txt</c> becomes <c>_CON.txt</c>.
/// </summary>
public static class SafeFileName
{
    /// <summary>The longest result in UTF-8 bytes (the common file-system limit).</summary>
    public const int MaxUtf8Bytes = 255;

    public const string DefaultFallback = "file";

    private const string ForbiddenCharacters = "<>:\"/\\|?*";

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string Sanitize(string? fileName, string fallback = DefaultFallback)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fallback);
        if (string.IsNullOrEmpty(fileName))
        {
            return fallback;
        }

        // Directories go first, whichever separator the client's platform used.
        var lastSeparator = fileName.LastIndexOfAny(['/', '\\']);
        var name = fileName[(lastSeparator + 1)..];

        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                // Format characters include the bidi overrides that disguise "exe.pdf" as "fdp.exe".
                continue;
            }

            if (rune.IsAscii && ForbiddenCharacters.Contains((char)rune.Value, StringComparison.Ordinal))
            {
                builder.Append('_');
                continue;
            }

            builder.Append(rune.ToString());
        }

        // Leading dots hide files and spell "..", trailing dots and spaces are dropped by Windows.
        var cleaned = builder.ToString().Trim().TrimStart('.').TrimEnd('.', ' ').Trim();
        if (cleaned.Length == 0)
        {
            return fallback;
        }

        var stem = cleaned.Split('.')[0].TrimEnd(' ');
        if (ReservedNames.Contains(stem))
        {
            cleaned = "_" + cleaned;
        }

        return Truncate(cleaned);
    }

    private static string Truncate(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxUtf8Bytes)
        {
            return name;
        }

        // Keep a short extension so the name still says what the file is.
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 16 ? name[dot..] : string.Empty;
        var stem = name[..(name.Length - extension.Length)];
        var budget = MaxUtf8Bytes - Encoding.UTF8.GetByteCount(extension);

        var kept = new StringBuilder();
        var used = 0;
        foreach (var element in EnumerateTextElements(stem))
        {
            var size = Encoding.UTF8.GetByteCount(element);
            if (used + size > budget)
            {
                break;
            }

            kept.Append(element);
            used += size;
        }

        return kept.ToString().TrimEnd('.', ' ') + extension;
    }

    private static IEnumerable<string> EnumerateTextElements(string text)
    {
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            yield return enumerator.GetTextElement();
        }
    }
}
