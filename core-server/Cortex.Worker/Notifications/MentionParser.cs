using System.Text;
using System.Text.RegularExpressions;
using Cortex.SharedModel.Validation;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Cortex.Worker.Notifications;

/// <summary>
/// Finds <c>@handle</c> mentions in markdown source. Text inside code spans, code blocks, raw HTML and autolinks is not
/// prose, so a handle there mentions nobody; an <c>@</c> inside a word (an e-mail address) is not a mention either.
/// </summary>
public static partial class MentionParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    /// <summary>The distinct handles mentioned, lower-cased, in order of first appearance.</summary>
    public static IReadOnlyList<string> Parse(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (!markdown.Contains('@', StringComparison.Ordinal))
        {
            return [];
        }

        var handles = new List<string>();
        foreach (var block in Markdown.Parse(markdown, Pipeline).Descendants<LeafBlock>())
        {
            if (block is CodeBlock || block.Inline is null)
            {
                continue;
            }

            var prose = new StringBuilder();
            AppendProse(block.Inline, prose);
            Collect(prose.ToString(), handles);
        }

        return handles;
    }

    // Emphasis delimiters split literals ("@a_b" may arrive as "@a", "_", "b"), so literals are joined before matching
    // and only non-prose inlines become separators.
    private static void AppendProse(ContainerInline container, StringBuilder prose)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    prose.Append(literal.Content.AsSpan());
                    break;
                case ContainerInline nested:
                    AppendProse(nested, prose);
                    break;
                default:
                    prose.Append(' ');
                    break;
            }
        }
    }

    private static void Collect(string text, List<string> handles)
    {
        foreach (Match match in Candidate().Matches(text))
        {
            var before = match.Index == 0 ? ' ' : text[match.Index - 1];
            if (IsHandleChar(before))
            {
                continue;
            }

            var handle = match.Value[1..].TrimEnd('.', '_', '-').ToLowerInvariant();
            var end = match.Index + match.Length;
            var runsOn = end < text.Length && IsHandleChar(text[end]);
            if (!runsOn && Rules.IsHandle(handle) && !handles.Contains(handle, StringComparer.Ordinal))
            {
                handles.Add(handle);
            }
        }
    }

    private static bool IsHandleChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@';

    // Bounded, so matching stays linear on hostile input; the handle rules are checked in code.
    [GeneratedRegex("@[A-Za-z0-9][A-Za-z0-9._-]{0,39}", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();
}
