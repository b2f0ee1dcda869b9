using System.Globalization;
using System.Net;
using System.Text;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Infrastructure;

/// <summary>One scrape's samples, parsed from the Prometheus text format (label values may contain braces).</summary>
internal sealed class Scrape(List<(string Name, Dictionary<string, string> Labels, double Value)> samples, string text)
{
    /// <summary>GET /metrics with an admin client.</summary>
    public static async Task<Scrape> FromAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return Parse(text);
    }

    public static Scrape Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var i = 0;
            while (i < line.Length && line[i] is not '{' and not ' ')
            {
                i++;
            }

            var name = line[..i];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    var eq = line.IndexOf('=', i);
                    var key = line[i..eq];
                    i = eq + 2;
                    var value = new StringBuilder();
                    while (line[i] != '"')
                    {
                        if (line[i] == '\\')
                        {
                            i++;
                        }

                        value.Append(line[i++]);
                    }

                    labels[key] = value.ToString();
                    i++;
                    if (line[i] == ',')
                    {
                        i++;
                    }
                }

                i++;
            }

            var number = line[(i + 1)..].Split(' ')[0];
            samples.Add((name, labels, double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return new Scrape(samples, text);
    }

    public bool Has(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Any();

    public double Sum(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    public double Delta(Scrape before, string name, params (string Key, string Value)[] labels) =>
        Sum(name, labels) - before.Sum(name, labels);

    public override string ToString() => text;

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(
        string name, (string Key, string Value)[] labels)
    {
        var found = samples.Where(s => s.Name == name
            && labels.All(l => s.Labels.TryGetValue(l.Key, out var value) && value == l.Value)).ToList();
        return found;
    }
}
