using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Sessions;

public sealed record SignInRequest(string? Handle, string? Password);

/// <summary>The signed-in principal and the CSRF token its unsafe requests must send in <c>X-CSRF-Token</c>.</summary>
public sealed record SessionResponse(Principal Principal, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Sets a human principal's password. <see cref="CurrentPassword"/> is required when principals change their own
/// password and already have one; admins setting someone else's password do not send it.
/// </summary>
public sealed record SetPasswordRequest(string? Password, string? CurrentPassword);

public sealed record MarkdownPreviewRequest(string? Markdown);

public sealed record MarkdownPreviewResponse(string Html);
