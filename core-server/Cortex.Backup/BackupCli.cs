namespace Cortex.Backup;

/// <summary>The command line: <c>create</c>, <c>restore</c> and <c>verify</c>. Failures are one line on stderr.</summary>
public static class BackupCli
{
    public const string Usage = """
        usage:
          cortex-backup create  --out FILE --passphrase-env VAR [--config-dir DIR]
          cortex-backup restore --in FILE --passphrase-env VAR [--config-dir DIR] [--force]
          cortex-backup verify  [--config-dir DIR]
        settings: Cortex__Database__ConnectionString, Cortex__ObjectStore__* (or DIR/appsettings.json)
        """;

    private static readonly HashSet<string> ValueOptions = ["--out", "--in", "--passphrase-env", "--config-dir"];
    private static readonly HashSet<string> FlagOptions = ["--force"];

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stderr.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        try
        {
            var command = args[0];
            var options = Parse(args);
            return command switch
            {
                "create" => await CreateAsync(options, environment, stdout, cancellationToken),
                "restore" => await RestoreAsync(options, environment, stdout, cancellationToken),
                "verify" => await VerifyAsync(options, environment, stdout, cancellationToken),
                _ => throw new BackupException(ExitCodes.Usage, $"unknown command '{command}' (expected create, restore or verify)"),
            };
        }
        catch (BackupException e)
        {
            await stderr.WriteLineAsync($"cortex-backup: error: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cortex-backup: error: cancelled");
            return ExitCodes.ExternalFailure;
        }
    }

    private static async Task<int> CreateAsync(
        Dictionary<string, string?> options, IReadOnlyDictionary<string, string> environment, TextWriter stdout, CancellationToken cancellationToken)
    {
        Allow(options, "create", "--out", "--passphrase-env", "--config-dir");
        var output = Required(options, "--out");
        var passphrase = Passphrase(options, environment);
        var configDirectory = options.GetValueOrDefault("--config-dir");
        await using var backup = BackupEnvironment.Create(environment, configDirectory);
        var manifest = await BackupArchive.CreateAsync(backup, environment, output, configDirectory, passphrase, cancellationToken);
        await stdout.WriteLineAsync(
            $"backup written to {output}: {manifest.Entries.Count} entries, {manifest.Entries.Count(e => e.Name.StartsWith(Manifest.ObjectsPrefix, StringComparison.Ordinal))} objects, schema version {manifest.SchemaVersion}");
        return ExitCodes.Ok;
    }

    private static async Task<int> RestoreAsync(
        Dictionary<string, string?> options, IReadOnlyDictionary<string, string> environment, TextWriter stdout, CancellationToken cancellationToken)
    {
        Allow(options, "restore", "--in", "--passphrase-env", "--config-dir", "--force");
        var input = Required(options, "--in");
        if (!File.Exists(input))
        {
            throw new BackupException(ExitCodes.Usage, $"archive {input} does not exist");
        }

        var passphrase = Passphrase(options, environment);
        var configDirectory = options.GetValueOrDefault("--config-dir");
        await using var backup = BackupEnvironment.Create(environment, configDirectory);
        var result = await BackupArchive.RestoreAsync(
            backup, environment, input, configDirectory, passphrase, options.ContainsKey("--force"), cancellationToken);
        await stdout.WriteLineAsync(
            $"restored {input}: database (schema version {result.SchemaVersion}), {result.Objects} objects, " +
            (configDirectory is null ? $"{result.SecretFiles} secret files decrypted (not written: no --config-dir)" : $"{result.SecretFiles} secret files into {configDirectory}"));
        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyAsync(
        Dictionary<string, string?> options, IReadOnlyDictionary<string, string> environment, TextWriter stdout, CancellationToken cancellationToken)
    {
        Allow(options, "verify", "--config-dir");
        await using var backup = BackupEnvironment.Create(environment, options.GetValueOrDefault("--config-dir"));
        var report = await StoreVerifier.VerifyAsync(backup, cancellationToken);
        foreach (var line in report.Problems)
        {
            await stdout.WriteLineAsync(line);
        }

        foreach (var orphan in report.Orphans)
        {
            await stdout.WriteLineAsync($"ORPHAN {orphan}");
        }

        await stdout.WriteLineAsync(
            $"verify: {report.Referenced} referenced objects checked, {report.Missing} missing, {report.Corrupt} corrupt, {report.Orphans.Count} orphans");
        return report.Missing + report.Corrupt == 0 ? ExitCodes.Ok : ExitCodes.VerifyFailed;
    }

    private static Dictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (FlagOptions.Contains(name))
            {
                options[name] = null;
            }
            else if (ValueOptions.Contains(name))
            {
                if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                {
                    throw new BackupException(ExitCodes.Usage, $"{name} needs a value");
                }

                options[name] = args[++i];
            }
            else
            {
                throw new BackupException(ExitCodes.Usage, $"unknown option '{name}'");
            }
        }

        return options;
    }

    private static void Allow(Dictionary<string, string?> options, string command, params string[] allowed)
    {
        foreach (var name in options.Keys.Where(k => !allowed.Contains(k)))
        {
            throw new BackupException(ExitCodes.Usage, $"{command} does not take {name}");
        }
    }

    private static string Required(Dictionary<string, string?> options, string name) =>
        options.GetValueOrDefault(name) ?? throw new BackupException(ExitCodes.Usage, $"{name} is required");

    private static string Passphrase(Dictionary<string, string?> options, IReadOnlyDictionary<string, string> environment)
    {
        var variable = Required(options, "--passphrase-env");
        return environment.TryGetValue(variable, out var value) && value.Length > 0
            ? value
            : throw new BackupException(ExitCodes.Usage, $"environment variable {variable} (--passphrase-env) is not set or empty");
    }
}
