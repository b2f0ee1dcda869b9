using System.Globalization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cortex.LocalSearch.Tests;

/// <summary>
/// nDCG@10 and Recall@10 per query type on the labelled set, for hybrid search and for each side alone
/// (DESIGN.md: report them for every ranking change). Printed with
/// <c>dotnet test tests/Cortex.LocalSearch.Tests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class RelevanceTests : IDisposable
{
    private const int K = 10;

    private readonly SqliteConnection _replica = SeededCorpus.OpenReplica();
    private readonly HybridSearch _search = SeededCorpus.CreateSearch();
    private readonly ITestOutputHelper _output;
    private readonly IReadOnlyList<RelevanceQuery> _queries = RelevanceQuery.Load();

    public RelevanceTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _replica.Dispose();

    [Fact]
    public void Hybrid_search_meets_the_relevance_floors_per_query_type()
    {
        var metrics = new Dictionary<(SearchMode Mode, string Type), List<(double Ndcg, double Recall)>>();
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Keyword, SearchMode.Semantic })
        {
            foreach (var query in _queries)
            {
                var response = _search.Search(_replica, new SearchRequest(query.Query, Limit: K, Mode: mode));
                var keys = response.Hits.Select(h => SeededCorpus.KeyOf(h.Id)).ToList();
                var ndcg = query.Ndcg(keys, K);
                var recall = query.Recall(keys, K);
                if (mode == SearchMode.Hybrid)
                {
                    _output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{query.Type,-18} nDCG {ndcg:F3} R {recall:F2} w {response.Profile.KeywordWeight:F2} s {response.Profile.KeywordStrength:F2} p {response.Profile.Specificity:F2} {query.Query} -> {string.Join(", ", response.Hits.Take(3).Select(h => $"{SeededCorpus.KeyOf(h.Id)} {h.Scores.Score:F3}/{h.Scores.Relevance:F3}/{h.Scores.Keyword:F2}/{h.Scores.Vector:F2}"))}"));
                }

                var key = (mode, query.Type);
                if (!metrics.TryGetValue(key, out var list))
                {
                    metrics[key] = list = [];
                }

                list.Add((ndcg, recall));
            }
        }

        _output.WriteLine("");
        _output.WriteLine($"{"query type",-20}{"mode",-10}{"nDCG@10",10}{"Recall@10",11}{"queries",9}");
        foreach (var ((mode, type), values) in metrics.OrderBy(m => m.Key.Type, StringComparer.Ordinal).ThenBy(m => m.Key.Mode))
        {
            _output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{type,-20}{mode,-10}{values.Average(v => v.Ndcg),10:F3}{values.Average(v => v.Recall),11:F3}{values.Count,9}"));
        }

        double Ndcg(SearchMode mode, string type) => metrics[(mode, type)].Average(v => v.Ndcg);
        double Recall(SearchMode mode, string type) => metrics[(mode, type)].Average(v => v.Recall);

        // Fusion must not fall below vectors alone on paraphrases, nor below keywords alone on identifiers.
        Assert.True(Ndcg(SearchMode.Hybrid, "paraphrase") >= Ndcg(SearchMode.Semantic, "paraphrase") - 0.02);
        Assert.True(Ndcg(SearchMode.Hybrid, "identifier") >= Ndcg(SearchMode.Keyword, "identifier") - 0.02);
        Assert.True(Ndcg(SearchMode.Hybrid, "paraphrase") >= 0.8);
        Assert.True(Recall(SearchMode.Hybrid, "paraphrase") >= 0.9);
        Assert.True(Ndcg(SearchMode.Hybrid, "identifier") >= 0.9);
        Assert.Equal(1.0, Recall(SearchMode.Hybrid, "identifier"));
        Assert.True(Ndcg(SearchMode.Hybrid, "canon-vs-duplicate") >= 0.95);
        Assert.Equal(1.0, Recall(SearchMode.Hybrid, "canon-vs-duplicate"));
    }
}
