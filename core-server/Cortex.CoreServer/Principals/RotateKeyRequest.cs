using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;

namespace Cortex.CoreServer.Principals;

/// <summary>
/// <c>POST /api/v1/keys/{id}/rotate</c>: issue a new key for the same principal and let the old one keep working for
/// <see cref="OverlapSeconds"/> (default a day; 0 cuts over at once). <see cref="Name"/> defaults to the old key's.
/// </summary>
public sealed record RotateKeyRequest(int? OverlapSeconds, string? Name, DateTimeOffset? ExpiresAt)
{
    public const int DefaultOverlapSeconds = 86_400;
    public const int MaxOverlapSeconds = 30 * 86_400;

    public TimeSpan Overlap => TimeSpan.FromSeconds(OverlapSeconds ?? DefaultOverlapSeconds);

    public ValidationErrors Validate(DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (OverlapSeconds is < 0 or > MaxOverlapSeconds)
        {
            errors.Add("overlapSeconds", $"Must be between 0 and {MaxOverlapSeconds} (30 days).");
        }

        if (Name is not null)
        {
            errors.RequireLine("name", Name, Rules.KeyNameMaxLength);
        }

        if (ExpiresAt is { } expiresAt && expiresAt <= now + Overlap)
        {
            errors.Add("expiresAt", "Must be after the overlap ends: the new key has to outlive the old one.");
        }

        return errors;
    }
}

/// <summary>The answer to a rotation: the new key (its secret shown this once) and the old key with its new expiry.</summary>
public sealed record RotatedApiKey(ApiKey ApiKey, string Key, ApiKey Previous);
