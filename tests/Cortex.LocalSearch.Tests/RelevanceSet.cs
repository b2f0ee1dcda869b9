using System.Text.Json;

namespace Cortex.LocalSearch.Tests;

/// <summary>Labelled queries from Data/relevance.json: graded relevance 2 (the answer) or 1 (related) by corpus key.</summary>
internal sealed record RelevanceQuery(string Type, string Query, IReadOnlyDictionary<string, int> Relevant)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<RelevanceQuery> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "relevance.json");
        return JsonSerializer.Deserialize<List<RelevanceQuery>>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException("relevance.json is empty.");
    }

    /// <summary>nDCG@k with gains 2^grade - 1 and the ideal ordering of the labelled items.</summary>
    public double Ndcg(IReadOnlyList<string> rankedKeys, int k)
    {
        var dcg = rankedKeys.Take(k).Select((key, i) => Gain(Relevant.GetValueOrDefault(key)) / Math.Log2(i + 2)).Sum();
        var ideal = Relevant.Values.OrderDescending().Take(k).Select((grade, i) => Gain(grade) / Math.Log2(i + 2)).Sum();
        return dcg / ideal;
    }

    public double Recall(IReadOnlyList<string> rankedKeys, int k) =>
        (double)rankedKeys.Take(k).Count(Relevant.ContainsKey) / Relevant.Count;

    private static double Gain(int grade) => Math.Pow(2, grade) - 1;
}
