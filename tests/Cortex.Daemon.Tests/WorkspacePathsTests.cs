using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkspacePathsTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("cortex-workspace-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_new_state_directory_is_private_to_its_owner()
    {
        var paths = WorkspacePaths.At(_root);
        paths.EnsureStateDirectory();
        Assert.Equal(Private, File.GetUnixFileMode(paths.StateDirectory));
    }

    [Fact]
    public void Reading_and_listing_by_others_is_removed_but_a_traverse_grant_for_postgres_is_kept()
    {
        // scripts/lib/pg.sh grants o+x on the repository's .cortex/ so the postgres user reaches .cortex/pg.
        var paths = WorkspacePaths.At(_root);
        Directory.CreateDirectory(paths.StateDirectory);
        File.SetUnixFileMode(paths.StateDirectory, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        paths.EnsureStateDirectory();

        Assert.Equal(Private | UnixFileMode.OtherExecute, File.GetUnixFileMode(paths.StateDirectory));
    }
}
