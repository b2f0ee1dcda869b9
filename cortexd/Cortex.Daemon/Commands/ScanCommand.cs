using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cortex.SecretScanning;

namespace Cortex.Daemon.Commands;

/// <summary>
/// <c>cortex scan [FILE|-]</c>: runs the secret scanner over a file or stdin and prints one JSON line per finding,
/// never the secret itself. Exit code 0 when clean, 1 when something was found, 2 when it could not scan.
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The file to scan; '-' or nothing reads standard input.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "-",
        };
        // Without this, a mistyped option such as "--allowlst" would be read as the name of the file to scan.
        file.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value != "-")
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        var allowlist = new Option<string?>("--allowlist")
        {
            Description = "An allowlist file: lines of 'value:TEXT', 'sha256:HEX' or 'regex:PATTERN'.",
            HelpName = "FILE",
        };
        var command = new Command("scan", "Scan a file or stdin for secrets; print one JSON line per finding.")
        {
            file,
            allowlist,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(file) ?? "-",
            parseResult.GetValue(allowlist),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string file, string? allowlistPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyList<SecretFinding> findings;
        try
        {
            var allowlist = allowlistPath is null
                ? SecretAllowlist.Empty
                : await SecretAllowlist.LoadAsync(allowlistPath, cancellationToken);
            var text = file == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken)
                : await File.ReadAllTextAsync(file, cancellationToken);
            findings = new SecretScanner(new SecretScannerOptions { Allowlist = allowlist }).Scan(text);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException
                                              or SecretInputTooLargeException)
        {
            await error.WriteLineAsync($"cortex scan: {OneLine(exception.Message)}");
            return ExitCodes.UsageError;
        }

        foreach (var finding in findings)
        {
            var line = new ScanOutputLine(finding.Kind, finding.Line, finding.Column, finding.Length);
            await output.WriteLineAsync(JsonSerializer.Serialize(line, ScanJsonContext.Default.ScanOutputLine));
        }

        return findings.Count == 0 ? ExitCodes.Success : ExitCodes.Findings;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

internal sealed record ScanOutputLine(string Kind, int Line, int Column, int Length);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ScanOutputLine))]
internal sealed partial class ScanJsonContext : JsonSerializerContext;
