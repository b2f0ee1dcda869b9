using System.Text;

namespace Cortex.SecretScanning.Tests.Corpus;

/// <summary>Seeded building blocks for synthetic corpus lines.</summary>
public sealed class RandomText(int seed)
{
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";
    public const string Alnum = Upper + Lower + Digits;
    public const string UpperAlnum = Upper + Digits;
    public const string Hex = "0123456789abcdef";
    public const string Base64 = Alnum + "+/";
    public const string Base64Url = Alnum + "-_";

    private static readonly string[] Words =
    [
        "orders", "billing", "search", "gateway", "ledger", "invoice", "catalog", "payments", "reports", "sync",
        "worker", "scheduler", "metrics", "profile", "inventory", "shipping", "checkout", "review", "digest", "archive",
    ];

    private readonly Random _random = new(seed);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public string Word() => Pick(Words);

    public string Chars(string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    public string Chars(string alphabet, int minLength, int maxLength) => Chars(alphabet, Next(minLength, maxLength + 1));

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public string Base64Of(int byteCount) => Convert.ToBase64String(Bytes(byteCount));

    public string Base64UrlOf(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string Uuid() => new Guid(Bytes(16)).ToString();

    public string Host() => $"{Word()}-{Chars(Lower + Digits, 3)}.{Pick(["internal", "example.net", "corp.test", "svc.cluster.local"])}";
}
