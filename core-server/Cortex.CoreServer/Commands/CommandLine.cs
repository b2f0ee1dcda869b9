namespace Cortex.CoreServer.Commands;

/// <summary>
/// <c>cortex-server [serve] | migrate | bootstrap-admin [--handle h] [--display-name n]</c>. Anything else on the command
/// line (e.g. <c>--urls</c>) goes to the host configuration.
/// </summary>
internal sealed record CommandLine(string Command, string Handle, string DisplayName, string[] HostArgs)
{
    public const string Serve = "serve";
    public const string Migrate = "migrate";
    public const string BootstrapAdmin = "bootstrap-admin";

    public static CommandLine Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : Serve;
        var rest = new List<string>(command == Serve && (args.Length == 0 || args[0] != Serve) ? args : args[1..]);
        var handle = Take(rest, "--handle") ?? "admin";
        var displayName = Take(rest, "--display-name") ?? "Administrator";
        return new CommandLine(command, handle, displayName, [.. rest]);
    }

    private static string? Take(List<string> args, string option)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == option && i + 1 < args.Count)
            {
                var value = args[i + 1];
                args.RemoveRange(i, 2);
                return value;
            }

            if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                var value = args[i][(option.Length + 1)..];
                args.RemoveAt(i);
                return value;
            }
        }

        return null;
    }
}
