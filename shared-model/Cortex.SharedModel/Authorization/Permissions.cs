using Cortex.SharedModel.Principals;

namespace Cortex.SharedModel.Authorization;

public static class Permissions
{
    /// <summary>May <paramref name="principal"/> do <paramref name="action"/> on <paramref name="resource"/>? Pure.</summary>
    public static bool May(Principal principal, CortexAction action, Resource resource)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(resource);

        if (principal.Disabled)
        {
            return false;
        }

        var grant = PermissionMatrix.GrantFor(principal.Role, action);
        if (grant == Grant.None)
        {
            return false;
        }

        // Private subcortexes are visible to their members only; admins see everything so they can administer them.
        if (resource.IsPrivate && !resource.AskerIsMember && principal.Role != Role.Admin)
        {
            return false;
        }

        return grant == Grant.Any || (resource.OwnerId is not null && resource.OwnerId == principal.Id);
    }
}
