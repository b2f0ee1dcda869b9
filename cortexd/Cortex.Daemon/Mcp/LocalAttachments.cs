using System.Text;
using ModelContextProtocol;

namespace Cortex.Daemon.Mcp;

/// <summary>
/// Local files attached to an observation. They travel inside the observation's text (fenced, named), so they queue
/// offline with it and pass the same secret redaction; binary files are refused, since the outbox carries text.
/// </summary>
internal static class LocalAttachments
{
    public const int MaxFiles = 5;
    public const int MaxBytes = 256 * 1024;

    public static string Render(IReadOnlyList<string>? paths, string workingDirectory)
    {
        if (paths is null || paths.Count == 0)
        {
            return "";
        }

        if (paths.Count > MaxFiles)
        {
            throw new McpException($"at most {MaxFiles} attachments, not {paths.Count}");
        }

        var text = new StringBuilder();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            byte[] bytes;
            try
            {
                var info = new FileInfo(full);
                if (!info.Exists)
                {
                    throw new McpException($"attachment '{path}' does not exist");
                }

                if (info.Length > MaxBytes)
                {
                    throw new McpException($"attachment '{path}' has {info.Length} bytes; at most {MaxBytes} are allowed");
                }

                bytes = File.ReadAllBytes(full);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new McpException($"attachment '{path}' cannot be read: {exception.Message}");
            }

            string content;
            try
            {
                content = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new McpException($"attachment '{path}' is not UTF-8 text; only text files can be attached");
            }

            if (content.Contains('\0', StringComparison.Ordinal))
            {
                throw new McpException($"attachment '{path}' is binary; only text files can be attached");
            }

            text.Append("\n\n**Attachment** `").Append(Path.GetFileName(full)).Append("`\n\n````\n").Append(content.TrimEnd()).Append("\n````");
        }

        return text.ToString();
    }
}
