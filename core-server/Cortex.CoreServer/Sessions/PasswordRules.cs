using Cortex.SharedModel.Validation;

namespace Cortex.CoreServer.Sessions;

/// <summary>What a password must be: long enough to resist guessing, short enough to hash cheaply, not the handle.</summary>
internal static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    public static ValidationErrors Validate(string? password, string handle)
    {
        var errors = new ValidationErrors();
        if (password is null || password.Length is < MinLength or > MaxLength)
        {
            errors.Add("password", $"Must be {MinLength} to {MaxLength} characters.");
        }
        else if (string.IsNullOrWhiteSpace(password) || password.Any(char.IsControl))
        {
            errors.Add("password", "Must not be blank or contain control characters.");
        }
        else if (password.Contains(handle, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("password", "Must not contain your handle.");
        }

        return errors;
    }
}
