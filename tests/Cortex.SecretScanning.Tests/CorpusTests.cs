using System.Globalization;
using System.Text;
using Cortex.SecretScanning.Tests.Corpus;
using Xunit.Abstractions;

namespace Cortex.SecretScanning.Tests;

public sealed class CorpusTests(ITestOutputHelper output)
{
    private readonly SecretScanner _scanner = new();

    [Fact]
    public void Recall_is_at_least_95_percent_per_kind_and_false_positives_at_most_1_percent_on_clean_lines()
    {
        var positives = LabelledCorpus.Positives();
        var negatives = LabelledCorpus.Negatives();

        var recall = new SortedDictionary<string, (int Found, int Total)>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var sample in positives)
        {
            var found = IsFound(sample, _scanner.Scan(sample.Text));
            var (hits, total) = recall.GetValueOrDefault(sample.Kind!);
            recall[sample.Kind!] = (hits + (found ? 1 : 0), total + 1);
            if (!found)
            {
                misses.Add($"{sample.Source}: {Describe(_scanner.Scan(sample.Text))}");
            }
        }

        var falsePositives = new List<string>();
        foreach (var sample in negatives)
        {
            var findings = _scanner.Scan(sample.Text);
            if (findings.Count > 0)
            {
                falsePositives.Add($"{sample.Source}: {Describe(findings)} in {Truncate(sample.Text)}");
            }
        }

        var totalFound = recall.Values.Sum(entry => entry.Found);
        var overallRecall = (double)totalFound / positives.Count;
        var falsePositiveRate = (double)falsePositives.Count / negatives.Count;
        output.WriteLine(Table(recall, overallRecall, positives.Count, falsePositives.Count, negatives.Count));
        misses.ForEach(miss => output.WriteLine("miss " + miss));
        falsePositives.ForEach(falsePositive => output.WriteLine("false positive " + falsePositive));

        Assert.Equal(SecretKinds.All.Order(StringComparer.Ordinal), recall.Keys);
        Assert.All(recall, entry => Assert.True(
            (double)entry.Value.Found / entry.Value.Total >= 0.95,
            $"{entry.Key}: recall {entry.Value.Found}/{entry.Value.Total}"));
        Assert.True(overallRecall >= 0.95, $"overall recall {overallRecall:P2}");
        Assert.True(falsePositiveRate <= 0.01, $"false-positive rate {falsePositiveRate:P2}: {string.Join("; ", falsePositives)}");
    }

    [Fact]
    public void Every_synthetic_secret_is_reported_with_exactly_its_span()
    {
        var wrongSpans = LabelledCorpus.Positives()
            .Where(sample => sample.HasKnownSpan)
            .Select(sample => (sample, findings: _scanner.Scan(sample.Text)))
            .Where(entry => entry.findings.Any(finding => finding.Kind == entry.sample.Kind)
                            && !entry.findings.Any(finding =>
                                finding.Kind == entry.sample.Kind && finding.Offset == entry.sample.SecretStart
                                && finding.Length == entry.sample.SecretLength))
            .Select(entry => entry.sample.Source)
            .ToList();

        Assert.Empty(wrongSpans);
    }

    // A synthetic positive is found when a finding of its kind covers its secret; a hand-written one when its kind is
    // reported anywhere in the sample.
    private static bool IsFound(CorpusSample sample, IReadOnlyList<SecretFinding> findings) =>
        findings.Any(finding => finding.Kind == sample.Kind
                                && (!sample.HasKnownSpan
                                    || (finding.Offset <= sample.SecretStart
                                        && finding.End >= sample.SecretStart + sample.SecretLength)));

    private static string Describe(IReadOnlyList<SecretFinding> findings) =>
        findings.Count == 0 ? "nothing" : string.Join(", ", findings.Select(finding => finding.DetectorId));

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static string Table(
        SortedDictionary<string, (int Found, int Total)> recall, double overall, int positives, int falsePositives, int negatives)
    {
        var table = new StringBuilder();
        table.AppendLine("| kind | found | total | recall |").AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (kind, (found, total)) in recall)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {found} | {total} | {(double)found / total:P1} |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {recall.Values.Sum(entry => entry.Found)} | {positives} | {overall:P2} |");
        table.AppendLine(CultureInfo.InvariantCulture, $"False positives: {falsePositives} of {negatives} clean lines ({(double)falsePositives / negatives:P2}).");
        return table.ToString();
    }
}
