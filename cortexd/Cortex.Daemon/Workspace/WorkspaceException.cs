namespace Cortex.Daemon.Workspace;

/// <summary>A configuration or state problem the user can fix; its message is the one line the CLI prints.</summary>
internal sealed class WorkspaceException(string message) : Exception(message);
