using Ganss.Xss;
using Markdig;

namespace Cortex.CoreServer.Markdown;

/// <summary>
/// Markdown source → safe HTML. Markdig renders with raw HTML disabled (it is escaped, not passed through), then
/// HtmlSanitizer removes anything dangerous that markdown itself can produce (e.g. <c>javascript:</c> links).
/// Both are built once: the pipeline and the sanitizer are immutable after configuration and safe to share.
/// </summary>
internal sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string markdown) => Sanitize(Markdig.Markdown.ToHtml(markdown, _pipeline));

    /// <summary>The second layer alone; tests feed it raw HTML to prove it holds even if the first lets HTML through.</summary>
    internal string Sanitize(string html) => _sanitizer.Sanitize(html);

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "input",
                "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "mark",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "title", "src", "alt", "class", "align", "type", "checked", "disabled", "start",
            },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        };
        return new HtmlSanitizer(options);
    }
}
