using AngleSharp.Html.Parser;
using Cortex.CoreServer.Markdown;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class MarkdownSanitizationTests
{
    private static readonly MarkdownRenderer Renderer = new();

    private static readonly HashSet<string> SafeTags =
    [
        "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "input", "li", "ol", "p",
        "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "mark",
    ];

    /// <summary>XSS payloads, as markdown authors could write them: raw HTML, markdown links and images, and encodings.</summary>
    public static TheoryData<string> Payloads() =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\" onerror=\"alert(1)\"/>",
        "<body onload=alert(1)>",
        "<div onmouseover=\"alert(1)\">hover</div>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](x\" onerror=\"alert(1))",
        "[x](https://ok.example \"title\" onmouseover=alert(1))",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=stylesheet href=javascript:alert(1)>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "%3Cscript%3Ealert(1)%3C/script%3E",
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "<<script>script>alert(1)<</script>/script>",
        "<!--<script>alert(1)//-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "`code` <img src=x onerror=alert(1)> **bold**",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
        "[a](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public void No_payload_survives_rendering(string markdown) => AssertSafe(Renderer.Render(markdown));

    /// <summary>
    /// Raw HTML never reaches the sanitizer through markdown (it is escaped), so most payloads above are stopped by the
    /// first layer. The sanitizer must hold on its own too: the same corpus as HTML, straight into it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Payloads))]
    public void The_sanitizer_alone_removes_every_payload_given_as_html(string html) => AssertSafe(Renderer.Sanitize(html));

    [Theory]
    [InlineData("<svg><animate onbegin=alert(1) attributeName=x dur=1s>")]
    [InlineData("<svg><use href=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\"/></svg>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>")]
    [InlineData("<img src=\"x\" onerror=\"&#97;&#108;&#101;&#114;&#116;(1)\">")]
    [InlineData("<IMG SRC=\"jav&#0;ascript:alert(1)\">")]
    [InlineData("<a href=\" javascript:alert(1)\">x</a>")]
    [InlineData("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">")]
    public void Html_only_payloads_do_not_survive_the_sanitizer(string html) => AssertSafe(Renderer.Sanitize(html));

    [Fact]
    public void Ordinary_markdown_keeps_its_formatting_and_safe_links()
    {
        var html = Renderer.Render("# Title\n\n**bold** _em_ `code`\n\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.com/a?b=1) <https://example.org>");
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<em>em</em>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code</code>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/a?b=1\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_html_is_shown_as_text_not_executed()
    {
        Assert.Equal("<p>&lt;b&gt;hi&lt;/b&gt;</p>\n", Renderer.Render("<b>hi</b>"));
    }

    private static void AssertSafe(string html)
    {
        // Inspect what a browser would build from the HTML, not the text: escaped payloads are harmless text.
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.Contains(element.LocalName, SafeTags);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} in {html}");
                Assert.NotEqual("style", attribute.Name, StringComparer.OrdinalIgnoreCase);
                if (attribute.Name is "href" or "src" or "action" or "formaction" or "xlink:href" or "data")
                {
                    Assert.True(IsSafeUrl(attribute.Value), $"unsafe {attribute.Name}=\"{attribute.Value}\" in {html}");
                }
            }
        }
    }

    private static bool IsSafeUrl(string value)
    {
        var trimmed = new string(value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var slash = trimmed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true;
        }

        return trimmed[..colon].ToLowerInvariant() is "http" or "https" or "mailto";
    }
}
