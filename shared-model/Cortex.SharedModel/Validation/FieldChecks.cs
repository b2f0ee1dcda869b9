namespace Cortex.SharedModel.Validation;

/// <summary>Helpers that add the standard message for a failed rule.</summary>
public static class FieldChecks
{
    public static void RequireSlug(this ValidationErrors errors, string field, string? value)
    {
        if (!Rules.IsSlug(value))
        {
            errors.Add(field, $"Must be 2 to {Rules.SlugMaxLength} lowercase letters, digits or inner single hyphens.");
        }
    }

    public static void RequireHandle(this ValidationErrors errors, string field, string? value)
    {
        if (!Rules.IsHandle(value))
        {
            errors.Add(field, $"Must be 2 to {Rules.HandleMaxLength} lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit.");
        }
    }

    public static void RequireLine(this ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (!Rules.IsLine(value, maxLength))
        {
            errors.Add(field, $"Required: a single line of at most {maxLength} characters without control characters.");
        }
    }

    public static void RequireText(this ValidationErrors errors, string field, string? value, int maxLength, bool allowEmpty = false)
    {
        if (!Rules.IsText(value, maxLength, allowEmpty))
        {
            errors.Add(field, allowEmpty
                ? $"Must be at most {maxLength} characters without control characters."
                : $"Required: at most {maxLength} characters without control characters.");
        }
    }

    public static TEnum? ParseEnum<TEnum>(this ValidationErrors errors, string field, string? value)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (Rules.TryParseEnum<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, $"Must be one of: {Rules.Names<TEnum>()}.");
        return null;
    }

    public static void RequireVersion(this ValidationErrors errors, string field, long? value)
    {
        if (value is <= 0)
        {
            errors.Add(field, "Must be a positive version number.");
        }
    }
}
