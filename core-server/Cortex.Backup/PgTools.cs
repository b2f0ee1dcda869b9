using System.Diagnostics;
using Npgsql;

namespace Cortex.Backup;

/// <summary>
/// Runs <c>pg_dump</c>/<c>pg_restore</c> against the configured database, passing the connection as libpq
/// environment variables (so the password never appears on a command line). The binaries come from
/// <c>CORTEX_PG_BIN</c>, else the PATH, else <c>/usr/lib/postgresql/15/bin</c>.
/// </summary>
public static class PgTools
{
    public const string BinDirectoryVariable = "CORTEX_PG_BIN";
    private const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    public static Task DumpAsync(IReadOnlyDictionary<string, string> environment, string connectionString, string outputFile, CancellationToken cancellationToken) =>
        RunAsync(environment, "pg_dump", connectionString, ["--format=custom", "--no-owner", "--file", outputFile], cancellationToken);

    public static Task RestoreAsync(IReadOnlyDictionary<string, string> environment, string connectionString, string dumpFile, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? "";
        return RunAsync(environment, "pg_restore", connectionString,
            ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", database, dumpFile],
            cancellationToken);
    }

    private static async Task RunAsync(
        IReadOnlyDictionary<string, string> environment, string tool, string connectionString, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Locate(environment, tool))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        start.Environment["PGHOST"] = builder.Host ?? "localhost";
        start.Environment["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = builder.Database ?? "";
        start.Environment["PGUSER"] = builder.Username ?? Environment.UserName;
        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.Environment["PGPASSWORD"] = builder.Password;
        }

        using var process = Process.Start(start)
                            ?? throw new BackupException(ExitCodes.ExternalFailure, $"{tool} could not be started");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = (await stderr).Trim();
        await stdout;
        if (process.ExitCode != 0)
        {
            var firstLine = error.Split('\n', 2)[0].Trim();
            throw new BackupException(ExitCodes.ExternalFailure, $"{tool} failed with exit code {process.ExitCode}: {firstLine}");
        }
    }

    private static string Locate(IReadOnlyDictionary<string, string> environment, string tool)
    {
        if (environment.TryGetValue(BinDirectoryVariable, out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine(configured, tool);
        }

        var path = environment.TryGetValue("PATH", out var value) ? value : "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var fallback = Path.Combine(DefaultBinDirectory, tool);
        return File.Exists(fallback)
            ? fallback
            : throw new BackupException(ExitCodes.ExternalFailure, $"{tool} not found: set {BinDirectoryVariable} to the directory of the PostgreSQL client tools");
    }
}
