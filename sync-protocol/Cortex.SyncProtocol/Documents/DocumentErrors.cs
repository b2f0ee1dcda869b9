namespace Cortex.SyncProtocol;

/// <summary>
/// Codes that start the message of a refused document call (<c>HubException</c>: "code: detail"). After a refused
/// update the client discards its local doc and syncs again: the server does not hold the refused edit.
/// </summary>
public static class DocumentErrors
{
    public const string NotFound = "document_not_found";
    public const string Forbidden = "forbidden";
    public const string ReadOnly = "document_read_only";
    public const string ReviewRequired = "review_required";
    public const string SecretDetected = "secret_detected";
    public const string BodyTooLong = "body_too_long";
    public const string Malformed = "document_update_malformed";
    /// <summary>The update depends on content the server does not have (typically an edit built on a refused one).</summary>
    public const string Incomplete = "document_update_incomplete";

    public static string Format(string code, string detail) => code + ": " + detail;

    /// <summary>The code of a refusal message, or null when it carries none.</summary>
    public static string? CodeOf(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // SignalR clients see "An unexpected error occurred invoking 'X' on the server. HubException: code: detail".
        const string marker = "HubException: ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var text = start >= 0 ? message[(start + marker.Length)..] : message;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && text[..colon].All(c => char.IsAsciiLetterLower(c) || c == '_') ? text[..colon] : null;
    }
}
