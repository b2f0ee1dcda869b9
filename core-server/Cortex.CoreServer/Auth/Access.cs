using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Auth;

internal static class Access
{
    /// <summary>Throws a 403 problem (audited as a denial) unless the permission matrix allows it.</summary>
    public static void Demand(this Principal principal, CortexAction action, Resource resource)
    {
        if (!Permissions.May(principal, action, resource))
        {
            throw CortexException.Forbidden(
                $"The {principal.Role.ToString().ToLowerInvariant()} role may not {action} on this {resource.Kind.ToString().ToLowerInvariant()}.");
        }
    }
}
