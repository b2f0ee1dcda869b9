namespace Cortex.SecretScanning.Tests.Corpus;

/// <summary>The checked-in corpus plus the seeded synthetic one.</summary>
public static class LabelledCorpus
{
    public const int Seed = 5_0001;
    public const int SyntheticPositivesPerKind = 150;
    public const int SyntheticNegativesPerCategory = 150;

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static IReadOnlyList<CorpusSample> Positives()
    {
        var samples = new List<CorpusSample>();
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "positives"), "*.txt").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name == "multiline")
            {
                samples.AddRange(MultilineSamples(path));
                continue;
            }

            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (!IsComment(line))
                {
                    samples.Add(new CorpusSample($"positives/{name}.txt:{lineNumber}", line, name));
                }
            }
        }

        samples.AddRange(new SyntheticPositives(Seed).Generate(SyntheticPositivesPerKind));
        return samples;
    }

    public static IReadOnlyList<CorpusSample> Negatives()
    {
        var samples = new List<CorpusSample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path.Combine(Root, "negatives.txt")))
        {
            lineNumber++;
            if (!IsComment(line) && line.Length > 0)
            {
                samples.Add(new CorpusSample($"negatives.txt:{lineNumber}", line, Kind: null));
            }
        }

        samples.AddRange(new SyntheticNegatives(Seed).Generate(SyntheticNegativesPerCategory));
        return samples;
    }

    private static bool IsComment(string line) => line.StartsWith("# ", StringComparison.Ordinal);

    private static IEnumerable<CorpusSample> MultilineSamples(string path)
    {
        var text = File.ReadAllText(path);
        var body = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        var index = 0;
        foreach (var chunk in body.Split("%%\n"))
        {
            index++;
            var firstLineEnd = chunk.IndexOf('\n', StringComparison.Ordinal);
            var kind = chunk[..firstLineEnd]["kind: ".Length..];
            yield return new CorpusSample($"positives/multiline.txt#{index}", chunk[(firstLineEnd + 1)..].TrimEnd('\n'), kind);
        }
    }
}
