using System.Text;
using System.Text.Json;

namespace Cortex.Daemon.Hooks;

/// <summary>
/// An extractive summary of an agent session from its JSONL transcript (Claude Code's shape: one JSON object per line,
/// <c>type</c> user or assistant, <c>message.content</c> a string or blocks of text, tool_use and tool_result). Only
/// what the session said and did is kept — nothing is paraphrased — and lines it does not understand are skipped.
/// </summary>
internal sealed class TranscriptSummary
{
    private const int MaxLines = 100_000;
    private static readonly HashSet<string> EditTools = new(StringComparer.Ordinal) { "Edit", "Write", "MultiEdit", "NotebookEdit", "str_replace_based_edit_tool" };

    public List<string> Asked { get; } = [];

    public List<string> Said { get; } = [];

    public SortedSet<string> FilesTouched { get; } = new(StringComparer.Ordinal);

    public List<string> Commands { get; } = [];

    public List<string> Errors { get; } = [];

    public bool IsEmpty => Asked.Count == 0 && Said.Count == 0 && FilesTouched.Count == 0 && Commands.Count == 0;

    public static TranscriptSummary Read(string? path, string? cwd, CancellationToken cancellationToken)
    {
        var summary = new TranscriptSummary();
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return summary;
        }

        var count = 0;
        foreach (var line in File.ReadLines(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++count > MaxLines)
            {
                break;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                summary.Add(document.RootElement, cwd);
            }
            catch (JsonException)
            {
                // A truncated last line (the agent may still be writing) or a foreign line: skip it, keep the rest.
            }
        }

        return summary;
    }

    /// <summary>The draft's body: markdown sections, each present only when the transcript had something for it.</summary>
    public string ToMarkdown(string? sessionId)
    {
        var body = new StringBuilder();
        Section(body, "What was asked", Asked.Take(5).Select(a => "- " + Shorten(a, 400)));
        Section(body, "What was done", Said.TakeLast(2).Select(s => Shorten(s, 1500)));
        Section(body, "Files touched", FilesTouched.Take(50).Select(f => $"- `{f}`"));
        Section(body, "Commands", Commands.Take(25).Select(c => $"- `{Shorten(c, 200).Replace('`', '\'')}`"));
        Section(body, "Errors", Errors.Take(10).Select(e => "- " + Shorten(e, 300)));
        Section(body, "Open questions", OpenQuestions().Take(10).Select(q => "- " + Shorten(q, 300)));
        if (sessionId is not null)
        {
            body.Append("_Session ").Append(sessionId).Append(", recorded by the cortex stop hook._\n");
        }

        return body.ToString().Trim();
    }

    public string Title()
    {
        var first = Asked.FirstOrDefault() ?? Said.FirstOrDefault() ?? "an agent session";
        return "Session: " + Shorten(first.ReplaceLineEndings(" "), 80);
    }

    private IEnumerable<string> OpenQuestions() =>
        Said.TakeLast(2)
            .SelectMany(s => s.Split(['\n', '.', '!'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => s.EndsWith('?') || s.StartsWith("TODO", StringComparison.OrdinalIgnoreCase));

    private void Add(JsonElement entry, string? cwd)
    {
        var type = Text(entry, "type");
        if (type is not ("user" or "assistant") || !entry.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content))
        {
            return;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            AddText(type, content.GetString()!);
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var block in content.EnumerateArray())
        {
            switch (Text(block, "type"))
            {
                case "text" when Text(block, "text") is { } text:
                    AddText(type, text);
                    break;
                case "tool_use" when block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object:
                    var tool = Text(block, "name") ?? "";
                    if (EditTools.Contains(tool) && (Text(input, "file_path") ?? Text(input, "path") ?? Text(input, "notebook_path")) is { } file)
                    {
                        FilesTouched.Add(Relative(file, Text(entry, "cwd") ?? cwd));
                    }
                    else if (Text(input, "command") is { } command)
                    {
                        Commands.Add(command.ReplaceLineEndings(" ").Trim());
                    }

                    break;
                case "tool_result" when block.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True:
                    Errors.Add(FirstLine(ResultText(block)));
                    break;
            }
        }
    }

    private void AddText(string type, string text)
    {
        text = text.Trim();
        // Claude Code puts command echoes and system reminders in user turns as tagged text; they are not the ask.
        if (text.Length == 0 || text.StartsWith('<'))
        {
            return;
        }

        (type == "user" ? Asked : Said).Add(text);
    }

    private static string ResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content))
        {
            return "error";
        }

        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Join(" ", content.ValueKind == JsonValueKind.Array ? content.EnumerateArray().Select(b => Text(b, "text")).OfType<string>() : []);
    }

    private static string Relative(string file, string? cwd) =>
        cwd is not null && Path.IsPathRooted(file) && file.StartsWith(cwd.TrimEnd('/') + "/", StringComparison.Ordinal)
            ? Path.GetRelativePath(cwd, file)
            : file;

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[..end].Trim();
    }

    private static void Section(StringBuilder body, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count > 0)
        {
            body.Append("## ").Append(title).Append("\n\n").AppendJoin('\n', list).Append("\n\n");
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string? Text(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
