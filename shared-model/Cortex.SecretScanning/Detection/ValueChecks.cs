using System.Buffers;

namespace Cortex.SecretScanning.Detection;

/// <summary>Checks that tell a real secret from a placeholder, a variable reference, an identifier or a doc example.</summary>
internal static class ValueChecks
{
    // Values published in vendor documentation and tutorials; by decision they are never reported, in any context.
    private static readonly HashSet<string> DocumentedExamples = new(StringComparer.Ordinal)
    {
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAIOSFODNN7EXAMPLE",
        "AKIAI44QH8DHBEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    };

    private static readonly string[] PlaceholderWords =
    [
        "example", "placeholder", "changeme", "change_me", "change-me", "redacted", "dummy", "sample", "your_", "your-",
        "yourpassword", "yoursecret", "yourtoken", "xxxx", "****", "....", "<", ">", "todo", "fixme", "insert",
        "replace", "fake", "notreal", "not_real", "not-a-real", "secret_here", "token_here", "key_here", "[redacted:",
    ];

    private static readonly HashSet<string> PlaceholderValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "key", "null", "none",
        "nil", "undefined", "true", "false", "empty", "string", "str", "test", "testing", "admin", "user", "username",
        "root", "guest", "default", "value", "mypassword", "mysecret", "mytoken", "letmein", "hunter2", "foobar", "foo",
        "bar", "baz", "qwerty", "abc123", "123456", "12345678", "required", "optional", "hidden", "unset", "env",
        "mypass", "mypwd", "mykey", "secret123", "password1", "password123", "pass123", "s3cr3t",
    };

    private static readonly SearchValues<char> VariableCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static readonly SearchValues<char> Symbols = SearchValues.Create("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    public static bool IsDocumentedExample(string value) =>
        DocumentedExamples.Contains(value) || value.EndsWith("EXAMPLE", StringComparison.Ordinal)
        || value.EndsWith("EXAMPLEKEY", StringComparison.Ordinal);

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var entropy = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / value.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    /// <summary>How many of lower case, upper case, digits and symbols occur.</summary>
    public static int CharacterClasses(ReadOnlySpan<char> value)
    {
        var classes = 0;
        if (value.IndexOfAnyInRange('a', 'z') >= 0)
        {
            classes++;
        }

        if (value.IndexOfAnyInRange('A', 'Z') >= 0)
        {
            classes++;
        }

        if (value.IndexOfAnyInRange('0', '9') >= 0)
        {
            classes++;
        }

        if (value.IndexOfAny(Symbols) >= 0)
        {
            classes++;
        }

        return classes;
    }

    /// <summary>A template, a variable reference, a redaction marker or a well-known non-secret.</summary>
    public static bool IsPlaceholder(string value)
    {
        if (PlaceholderValues.Contains(value) || IsDocumentedExample(value))
        {
            return true;
        }

        if (value[0] is '$' or '{' || value.StartsWith("#{", StringComparison.Ordinal) || IsPercentTemplate(value))
        {
            return true;
        }

        // SQL and ORM parameters: "@passwordHash", ":password".
        if (value[0] is '@' or ':' && value.Length > 1 && value.AsSpan(1).IndexOfAnyExcept(VariableCharacters) < 0)
        {
            return true;
        }

        if (value.Contains("{{", StringComparison.Ordinal) || value.Contains("${", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var word in PlaceholderWords)
        {
            if (value.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // A run of one repeated character (xxxxxxxx, 00000000) is a mask, not a value.
        return value.Length >= 4 && value.AsSpan().IndexOfAnyExcept(value[0]) < 0;
    }

    /// <summary>A filesystem path: absolute, relative, home-relative or a Windows drive path.</summary>
    public static bool IsPath(string value) =>
        value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal) || value.StartsWith("../", StringComparison.Ordinal)
        || value.StartsWith("~/", StringComparison.Ordinal) || (value.Length > 2 && value[1] == ':' && value[2] == '\\');

    // printf-style "%s", "%(name)s" and Windows "%VARIABLE%"; a password may still start with '%'.
    private static bool IsPercentTemplate(string value) =>
        value[0] == '%' && (value.Length == 2 || value.StartsWith("%(", StringComparison.Ordinal)
                            || (value.Length > 2 && value[^1] == '%' && value.AsSpan(1, value.Length - 2).IndexOfAnyExcept(VariableCharacters) < 0));

    /// <summary>
    /// Code or configuration that names something rather than a secret: snake_case, kebab-case, camelCase and
    /// dotted identifiers, calls, paths, URLs and ARNs.
    /// </summary>
    public static bool IsIdentifierLike(string value)
    {
        if (value.Contains('(') || value.Contains("://", StringComparison.Ordinal) || IsPath(value)
            || value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var segment in value.Split(['-', '_', '.', '/', ':', '$'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IdentifierShape.IsWordLike(segment.AsSpan().Trim("?!@#")))
            {
                return false;
            }
        }

        return true;
    }
}
