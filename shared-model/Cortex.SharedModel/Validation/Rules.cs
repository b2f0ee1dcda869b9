using System.Text.RegularExpressions;

namespace Cortex.SharedModel.Validation;

/// <summary>The shape rules both sides enforce: slugs, handles and length limits.</summary>
public static partial class Rules
{
    public const int SlugMaxLength = 64;
    public const int HandleMaxLength = 40;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 2_000;
    public const int TitleMaxLength = 300;
    public const int BodyMaxLength = 100_000;
    public const int CommentMaxLength = 50_000;
    public const int KeyNameMaxLength = 100;
    public const int SearchQueryMaxLength = 500;

    /// <summary>Lowercase letters, digits and single inner hyphens, 2 to 64 characters.</summary>
    public static bool IsSlug(string? value) =>
        value is { Length: >= 2 and <= SlugMaxLength } && SlugPattern().IsMatch(value);

    /// <summary>Lowercase letters, digits, and inner '.', '_' or '-', 2 to 40 characters.</summary>
    public static bool IsHandle(string? value) =>
        value is { Length: >= 2 and <= HandleMaxLength } && HandlePattern().IsMatch(value);

    /// <summary>Non-blank, at most <paramref name="maxLength"/> characters, no control characters except tab and newlines.</summary>
    public static bool IsText(string? value, int maxLength, bool allowEmpty = false)
    {
        if (value is null || value.Length > maxLength || (!allowEmpty && string.IsNullOrWhiteSpace(value)))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A single line: <see cref="IsText"/> without line breaks.</summary>
    public static bool IsLine(string? value, int maxLength) =>
        IsText(value, maxLength) && value!.IndexOfAny(['\n', '\r']) < 0;

    public static bool TryParseEnum<TEnum>(string? value, out TEnum result)
        where TEnum : struct, Enum
    {
        result = default;
        return value is not null
            && !value.AsSpan().ContainsAny("0123456789,")
            && Enum.TryParse(value, ignoreCase: true, out result)
            && Enum.IsDefined(result);
    }

    public static string Names<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetNames<TEnum>().Select(name => char.ToLowerInvariant(name[0]) + name[1..]));

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
