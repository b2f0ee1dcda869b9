using Cortex.Crdt.Cli;
using Cortex.Crdt.Core;

namespace Cortex.Crdt.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cortex-crdt-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static (int Code, byte[] Stdout, string Stderr) Run(params string[] args) => RunWithStdin([], args);

    private static (int Code, byte[] Stdout, string Stderr) RunWithStdin(byte[] stdin, params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var code = CrdtCli.Run(args, new MemoryStream(stdin), output, error);
        return (code, output.ToArray(), error.ToString());
    }

    private static byte[] SampleUpdate(long client, Action<Doc> edit)
    {
        var doc = new Doc(client);
        edit(doc);
        return Y.EncodeStateAsUpdate(doc);
    }

    [Fact]
    public void Json_prints_the_document_like_yjs_toJSON()
    {
        var a = File("a.bin", SampleUpdate(1, d => d.GetText("notes").Insert(0, "hello")));
        var b = File("b.bin", SampleUpdate(2, d => d.GetMap("meta").Set("title", "Draft")));
        var (code, stdout, stderr) = Run("json", "--type", "notes=text", a, b);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("{\"notes\":\"hello\",\"meta\":{\"title\":\"Draft\"}}\n", System.Text.Encoding.UTF8.GetString(stdout));
    }

    [Fact]
    public void Merge_diff_and_state_vector_match_the_library()
    {
        var u1 = SampleUpdate(1, d => d.GetText("t").Insert(0, "abc"));
        var u2 = SampleUpdate(2, d => d.GetArray("a").Push(1L, "two"));
        var merged = Path.Combine(_dir, "merged.bin");
        Assert.Equal(0, Run("merge", "-o", merged, File("1.bin", u1), File("2.bin", u2)).Code);
        Assert.Equal(Y.MergeUpdates([u1, u2]), System.IO.File.ReadAllBytes(merged));

        var sv = Path.Combine(_dir, "sv.bin");
        Assert.Equal(0, Run("state-vector", "-o", sv, File("only1.bin", u1)).Code);
        var diff = Run("diff", merged, sv);
        Assert.Equal(0, diff.Code);
        Assert.Equal(Y.DiffUpdate(Y.MergeUpdates([u1, u2]), Y.EncodeStateVectorFromUpdate(u1)), diff.Stdout);

        var printed = Run("state-vector", merged);
        Assert.Equal("{\"1\":3,\"2\":2}\n", System.Text.Encoding.UTF8.GetString(printed.Stdout));
    }

    [Fact]
    public void Dump_lists_structs_and_delete_set_from_stdin()
    {
        var update = SampleUpdate(5, d =>
        {
            var t = d.GetText("t");
            t.Insert(0, "hello");
            t.Delete(1, 2);
        });
        var (code, stdout, _) = RunWithStdin(update, "dump", "-");
        Assert.Equal(0, code);
        var text = System.Text.Encoding.UTF8.GetString(stdout);
        Assert.Contains("Item  5:0 len=1 parent=\"t\" String(\"h\")", text, StringComparison.Ordinal);
        Assert.Contains("client 5: [1..3)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_usage_exits_with_2_and_one_line()
    {
        foreach (var args in new[] { Array.Empty<string>(), ["frobnicate"], ["diff", "only-one"], ["merge", "--bogus", "x"], ["json", "-o"] })
        {
            var (code, _, stderr) = Run(args);
            Assert.Equal(2, code);
            Assert.True(args.Length == 0 || stderr.TrimEnd('\n').Split('\n').Length == 1, stderr);
        }
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Malformed_input_gives_one_line_and_exit_code_1(int seed)
    {
        var rnd = new Random(seed);
        var valid = SampleUpdate(3, d => d.GetText("t").Insert(0, "valid"));
        var garbage = new byte[rnd.Next(1, 80)];
        rnd.NextBytes(garbage);
        if (seed % 2 == 0)
        {
            garbage = [.. valid.Take(rnd.Next(1, valid.Length)), .. garbage.Take(3)];
        }

        var bad = File("bad.bin", garbage);
        var good = File("good.bin", valid);
        foreach (var args in new[] { new[] { "json", bad }, ["merge", good, bad], ["diff", bad, bad], ["state-vector", bad], ["dump", bad], ["diff", good, bad] })
        {
            var (code, _, stderr) = Run(args);
            if (code == 0)
            {
                // Some random inputs happen to be valid (e.g. an empty update); that is fine.
                continue;
            }

            Assert.True(code == 1, $"seed {seed} {string.Join(' ', args)}: exit {code}: {stderr}");
            Assert.StartsWith("cortex-crdt: ", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public void Missing_file_is_reported_not_thrown()
    {
        var (code, _, stderr) = Run("json", Path.Combine(_dir, "does-not-exist.bin"));
        Assert.Equal(1, code);
        Assert.Contains("does-not-exist.bin", stderr, StringComparison.Ordinal);
    }
}
