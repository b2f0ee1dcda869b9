namespace Cortex.SharedModel.Authorization;

/// <summary>How far a role's permission for an action reaches.</summary>
public enum Grant
{
    /// <summary>Not allowed.</summary>
    None,

    /// <summary>Allowed only on resources the principal owns (its own threads, its own keys, itself).</summary>
    Own,

    /// <summary>Allowed on any resource the principal can see.</summary>
    Any,
}
