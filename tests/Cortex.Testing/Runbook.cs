using System.Diagnostics;
using System.Text;
using Xunit;

namespace Cortex.Testing;

/// <summary>
/// The shell snippets of one runbook marked for testing (fenced blocks opened with <c>```bash test</c>), run in order
/// as one bash script with <c>set -euo pipefail</c>, as an operator would paste them.
/// </summary>
public static class Runbook
{
    private const string Opening = "```bash test";

    public static string Path(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "runbooks", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"runbooks/{name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The tested blocks, each with the <c>## </c> section it sits in ("" before the first).</summary>
    public static IReadOnlyList<(string Section, string Script)> TestedBlocks(string name)
    {
        var blocks = new List<(string, string)>();
        var section = "";
        StringBuilder? block = null;
        foreach (var line in File.ReadLines(Path(name)))
        {
            if (block is null && line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (block is null && line.Trim() == Opening)
            {
                block = new StringBuilder();
            }
            else if (block is not null && line.Trim() == "```")
            {
                blocks.Add((section, block.ToString()));
                block = null;
            }
            else
            {
                block?.AppendLine(line);
            }
        }

        Assert.True(block is null, $"runbooks/{name}: a tested block is not closed");
        return blocks;
    }

    /// <summary>
    /// Runs the runbook's tested blocks — all, or those in <paramref name="sections"/> (by heading, without "## ") —
    /// in a fresh working directory with <paramref name="environment"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string name, IReadOnlyDictionary<string, string> environment, params string[] sections)
    {
        var workDirectory = Directory.CreateTempSubdirectory("cortex-runbook-");
        try
        {
            return await RunInAsync(workDirectory.FullName, name, environment, sections);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    /// <summary>As <see cref="RunAsync"/>, in <paramref name="workingDirectory"/> (e.g. a workspace folder), which stays.</summary>
    public static async Task<(int ExitCode, string Output)> RunInAsync(
        string workingDirectory, string name, IReadOnlyDictionary<string, string> environment, params string[] sections)
    {
        var blocks = TestedBlocks(name)
            .Where(b => sections.Length == 0 || sections.Contains(b.Section, StringComparer.Ordinal))
            .Select(b => b.Script)
            .ToList();
        Assert.NotEmpty(blocks);
        Assert.True(sections.Length == 0 || sections.All(s => TestedBlocks(name).Any(b => b.Section == s)),
            $"runbooks/{name} has no tested block under one of: {string.Join(", ", sections)}");
        var script = System.IO.Path.Combine(Directory.CreateTempSubdirectory("cortex-runbook-script-").FullName, "runbook.sh");
        try
        {
            await File.WriteAllTextAsync(script, "set -euo pipefail\n" + string.Join("\n", blocks));
            var start = new ProcessStartInfo("bash", [script])
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(180));
            return (process.ExitCode, $"{await stdout}\n--- stderr ---\n{await stderr}");
        }
        finally
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(script)!, recursive: true);
        }
    }
}
