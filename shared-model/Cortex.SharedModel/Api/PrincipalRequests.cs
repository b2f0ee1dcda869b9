using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;

namespace Cortex.SharedModel.Api;

public sealed record CreatePrincipalRequest(string? Handle, string? DisplayName, string? Kind, string? Role)
{
    public ValidationErrors Validate(out PrincipalKind kind, out Role role)
    {
        var errors = new ValidationErrors();
        errors.RequireHandle("handle", Handle);
        errors.RequireLine("displayName", DisplayName, Rules.NameMaxLength);
        kind = errors.ParseEnum<PrincipalKind>("kind", Kind ?? "human") ?? PrincipalKind.Human;
        role = errors.ParseEnum<Role>("role", Role) ?? Principals.Role.Reader;
        if (Role is null)
        {
            errors.Add("role", $"Required: one of {Rules.Names<Role>()}.");
        }

        CheckKindMatchesRole(errors, kind, role);
        return errors;
    }

    /// <summary>Agents always hold the agent role and only agents do, so "agents never review" cannot be bypassed by a role.</summary>
    internal static void CheckKindMatchesRole(ValidationErrors errors, PrincipalKind kind, Role role)
    {
        if ((kind == PrincipalKind.Agent) != (role == Principals.Role.Agent))
        {
            errors.Add("role", "Agents have the agent role, and only agents have it.");
        }
    }
}

public sealed record UpdatePrincipalRequest(string? DisplayName, string? Role, bool? Disabled, long? Version)
{
    public ValidationErrors Validate(PrincipalKind kind, out Role? role)
    {
        var errors = new ValidationErrors();
        if (DisplayName is not null)
        {
            errors.RequireLine("displayName", DisplayName, Rules.NameMaxLength);
        }

        role = errors.ParseEnum<Role>("role", Role);
        if (role is { } newRole)
        {
            CreatePrincipalRequest.CheckKindMatchesRole(errors, kind, newRole);
        }

        errors.RequireVersion("version", Version);
        return errors;
    }
}

public sealed record CreateKeyRequest(string? Name, DateTimeOffset? ExpiresAt)
{
    public ValidationErrors Validate(DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireLine("name", Name ?? "default", Rules.KeyNameMaxLength);
        if (ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors.Add("expiresAt", "Must be in the future.");
        }

        return errors;
    }
}
