namespace Cortex.Daemon.Workspace;

/// <summary>
/// A workspace folder and its <c>.cortex/</c> state directory: the replica, the running daemon's endpoint file, the
/// local API token (0600) and the daemon's log.
/// </summary>
internal sealed record WorkspacePaths(string Root)
{
    public const string StateDirectoryName = ".cortex";

    public string StateDirectory => Path.Combine(Root, StateDirectoryName);

    public string ReplicaFile => Path.Combine(StateDirectory, "replica.db");

    /// <summary>Written by a daemon once its local API listens: pid and port.</summary>
    public string EndpointFile => Path.Combine(StateDirectory, "daemon.json");

    public string TokenFile => Path.Combine(StateDirectory, "daemon.token");

    public string LogFile => Path.Combine(StateDirectory, "daemon.log");

    /// <summary>Where a key may be stored instead of <c>CORTEX_KEY</c>; must be 0600.</summary>
    public string KeyFile => Path.Combine(StateDirectory, "key");

    /// <summary>The folder itself, for <c>cortex start</c>.</summary>
    public static WorkspacePaths At(string folder) => new(Path.GetFullPath(folder));

    /// <summary>The nearest folder at or above <paramref name="folder"/> that has a state directory.</summary>
    public static WorkspacePaths? Find(string folder)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(folder)); current is not null; current = current.Parent)
        {
            if (Directory.Exists(Path.Combine(current.FullName, StateDirectoryName)))
            {
                return new WorkspacePaths(current.FullName);
            }
        }

        return null;
    }

    /// <summary>
    /// Creates the state directory private to its owner. Others' traverse-only bit is kept on a directory that already has it: in the
    /// repository itself <c>.cortex/</c> is also where scripts/up.sh keeps its Postgres cluster, and scripts/lib/pg.sh
    /// grants the postgres user that bit; clearing it made the running cluster fail its next checkpoint. Traverse-only
    /// lists nothing.
    /// </summary>
    public void EnsureStateDirectory()
    {
        var existed = Directory.Exists(StateDirectory);
        Directory.CreateDirectory(StateDirectory);
        if (!OperatingSystem.IsWindows())
        {
            var traverse = existed ? File.GetUnixFileMode(StateDirectory) & UnixFileMode.OtherExecute : 0;
            File.SetUnixFileMode(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | traverse);
        }
    }
}
