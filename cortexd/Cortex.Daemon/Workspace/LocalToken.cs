using System.Security.Cryptography;

namespace Cortex.Daemon.Workspace;

/// <summary>The per-workspace secret that guards the loopback API, in a 0600 file only the user can read.</summary>
internal static class LocalToken
{
    public static string CreateOrRead(WorkspacePaths workspace)
    {
        if (File.Exists(workspace.TokenFile))
        {
            return File.ReadAllText(workspace.TokenFile).Trim();
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(workspace.TokenFile, options))
        {
            writer.Write(token);
        }

        return token;
    }

    /// <exception cref="WorkspaceException">no daemon has created the token yet.</exception>
    public static string Read(WorkspacePaths workspace) =>
        File.Exists(workspace.TokenFile)
            ? File.ReadAllText(workspace.TokenFile).Trim()
            : throw new WorkspaceException($"no local API token in {workspace.StateDirectory}; run 'cortex start'");
}
