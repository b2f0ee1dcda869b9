using System.Globalization;

namespace Cortex.Bench;

/// <summary>
/// The loopback benches' command lines: <c>--name value</c> pairs, always with <c>--url</c>, <c>--key</c> and <c>--db</c>
/// (the scripts under <c>scripts/bench-*.sh</c> pass them), plus each bench's own options with defaults.
/// </summary>
internal sealed class BenchArguments
{
    private static readonly string[] Connection = ["--url", "--key", "--db"];
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values) => _values = values;

    public Uri Url => new(_values["--url"]);

    public string Key => _values["--key"];

    public string ConnectionString => _values["--db"];

    /// <returns>Null (the caller prints its usage) when an option is not one of <paramref name="known"/>, lacks its
    /// value, or a connection setting is missing.</returns>
    public static BenchArguments? Parse(string[] args, params string[] known)
    {
        if (args.Length % 2 != 0)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) && !Connection.Contains(args[i]))
            {
                return null;
            }

            values[args[i]] = args[i + 1];
        }

        return Connection.All(values.ContainsKey) ? new BenchArguments(values) : null;
    }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => _values.GetValueOrDefault(name);
}
