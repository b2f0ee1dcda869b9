namespace Cortex.Daemon.Workspace;

/// <summary>
/// Where the daemon syncs from and with which key: <c>CORTEX_URL</c>, and <c>CORTEX_KEY</c> or a 0600 key file
/// (<c>CORTEX_KEY_FILE</c>, else <c>.cortex/key</c>). Validated up front so a mistake is one line, not a stack trace.
/// </summary>
internal sealed record DaemonSettings(Uri ServerUrl, string ApiKey, int PullBatchSize = 1000)
{
    public const string UrlVariable = "CORTEX_URL";
    public const string KeyVariable = "CORTEX_KEY";
    public const string KeyFileVariable = "CORTEX_KEY_FILE";

    /// <summary>Changes per pull (and per replica transaction); 1000 (the server's page maximum) unless set.</summary>
    public const string PullBatchVariable = "CORTEX_SYNC_BATCH";

    /// <exception cref="WorkspaceException">a setting is missing or invalid.</exception>
    public static DaemonSettings Load(WorkspacePaths workspace, Func<string, string?> environment)
    {
        var url = environment(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new WorkspaceException($"{UrlVariable} is not set; set it to the server's URL, e.g. http://127.0.0.1:8080");
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var serverUrl) || serverUrl.Scheme is not ("http" or "https"))
        {
            throw new WorkspaceException($"{UrlVariable} must be an absolute http(s) URL, not '{url}'");
        }

        var key = environment(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            var keyFile = environment(KeyFileVariable) is { Length: > 0 } path ? path : workspace.KeyFile;
            key = ReadKeyFile(keyFile);
        }

        key = key.Trim();
        if (!key.StartsWith("ctx_", StringComparison.Ordinal))
        {
            throw new WorkspaceException("the API key must start with 'ctx_' (check CORTEX_KEY or the key file)");
        }

        var batch = 1000;
        if (environment(PullBatchVariable) is { Length: > 0 } batchText
            && (!int.TryParse(batchText, System.Globalization.CultureInfo.InvariantCulture, out batch) || batch is < 1 or > 1000))
        {
            throw new WorkspaceException($"{PullBatchVariable} must be a number from 1 to 1000, not '{batchText}'");
        }

        return new DaemonSettings(serverUrl, key, batch);
    }

    private static string ReadKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new WorkspaceException($"no API key: set {KeyVariable}, or put the key in {path} (mode 0600)");
        }

        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new WorkspaceException($"the key file {path} is readable by others; run 'chmod 600 {path}'");
        }

        return File.ReadAllText(path);
    }
}
