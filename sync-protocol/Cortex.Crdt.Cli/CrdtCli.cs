using System.Text;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Cli;

/// <summary>
/// cortex-crdt: inspect and combine yjs v1 update files. Every failure is one line on stderr and a non-zero exit code
/// (1 = bad input, 2 = bad usage).
/// </summary>
public static class CrdtCli
{
    public const string Usage = """
        usage: cortex-crdt <command> [options] <files>
          json [--type NAME=text|map|array|xml]... UPDATE...   apply the updates to a fresh doc and print doc.toJSON()
          merge [-o OUT] UPDATE...                             merge updates (mergeUpdates) into one
          diff [-o OUT] UPDATE STATE_VECTOR                    the part of UPDATE not covered by STATE_VECTOR (diffUpdate)
          state-vector [-o OUT] UPDATE                         state vector of an update (printed as JSON; -o writes binary)
          dump UPDATE                                          list decoded structs and the delete set
        Files are binary; '-' reads stdin. Without -o, binary output goes to stdout.
        """;

    public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stderr.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options.Parse(args.Skip(1).ToArray());
            return args[0] switch
            {
                "json" => Json(options, stdin, stdout),
                "merge" => Merge(options, stdin, stdout),
                "diff" => Diff(options, stdin, stdout),
                "state-vector" => StateVector(options, stdin, stdout),
                "dump" => Dump(options, stdin, stdout),
                _ => throw new UsageException($"unknown command '{args[0]}' (try --help)"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"cortex-crdt: {e.Message}");
            return 2;
        }
        catch (CrdtFormatException e)
        {
            stderr.WriteLine($"cortex-crdt: malformed input: {OneLine(e.Message)}");
            return 1;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"cortex-crdt: {OneLine(e.Message)}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"cortex-crdt: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            // The tool's contract is one line and an exit code, never a stack trace.
            stderr.WriteLine($"cortex-crdt: {e.GetType().Name}: {OneLine(e.Message)}");
            return 3;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static byte[] Read(string path, Stream stdin)
    {
        if (path == "-")
        {
            using var ms = new MemoryStream();
            stdin.CopyTo(ms);
            return ms.ToArray();
        }

        return File.ReadAllBytes(path);
    }

    private static void WriteBinary(Options options, Stream stdout, byte[] data)
    {
        if (options.Output != null)
        {
            File.WriteAllBytes(options.Output, data);
        }
        else
        {
            stdout.Write(data);
            stdout.Flush();
        }
    }

    private static void WriteText(Stream stdout, string text)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text + "\n");
        stdout.Write(bytes);
        stdout.Flush();
    }

    private static int Json(Options options, Stream stdin, Stream stdout)
    {
        options.RequireFiles(1, int.MaxValue);
        var doc = new Doc(0);
        foreach (var file in options.Files)
        {
            Y.ApplyUpdate(doc, Read(file, stdin));
        }

        foreach (var (name, kind) in options.Types)
        {
            _ = kind switch
            {
                "text" => (AbstractType)doc.GetText(name),
                "map" => doc.GetMap(name),
                "array" => doc.GetArray(name),
                "xml" => doc.GetXmlFragment(name),
                _ => throw new UsageException($"unknown type '{kind}' for --type {name}"),
            };
        }

        WriteText(stdout, JsJson.Stringify(doc.ToJson(), bigIntsAsNumbers: true));
        return 0;
    }

    private static int Merge(Options options, Stream stdin, Stream stdout)
    {
        options.RequireFiles(1, int.MaxValue);
        var updates = options.Files.Select(f => Read(f, stdin)).ToList();
        WriteBinary(options, stdout, Y.MergeUpdates(updates));
        return 0;
    }

    private static int Diff(Options options, Stream stdin, Stream stdout)
    {
        options.RequireFiles(2, 2);
        WriteBinary(options, stdout, Y.DiffUpdate(Read(options.Files[0], stdin), Read(options.Files[1], stdin)));
        return 0;
    }

    private static int StateVector(Options options, Stream stdin, Stream stdout)
    {
        options.RequireFiles(1, 1);
        var sv = Y.EncodeStateVectorFromUpdate(Read(options.Files[0], stdin));
        if (options.Output != null)
        {
            File.WriteAllBytes(options.Output, sv);
            return 0;
        }

        var json = new JsObject();
        foreach (var (client, clock) in Y.DecodeStateVector(sv))
        {
            json[client.ToString(System.Globalization.CultureInfo.InvariantCulture)] = clock;
        }

        WriteText(stdout, JsJson.Stringify(json));
        return 0;
    }

    private static int Dump(Options options, Stream stdin, Stream stdout)
    {
        options.RequireFiles(1, 1);
        var decoded = Y.DecodeUpdate(Read(options.Files[0], stdin));
        var sb = new StringBuilder();
        sb.Append("structs: ").Append(decoded.Structs.Count).Append('\n');
        foreach (var s in decoded.Structs)
        {
            sb.Append("  ").Append(Describe(s)).Append('\n');
        }

        sb.Append("delete set:");
        if (decoded.DeleteSet.Clients.Count == 0)
        {
            sb.Append(" (empty)");
        }

        foreach (var (client, ranges) in decoded.DeleteSet.Clients)
        {
            sb.Append("\n  client ").Append(client).Append(": ")
                .AppendJoin(' ', ranges.Select(r => $"[{r.Clock}..{r.Clock + r.Length})"));
        }

        WriteText(stdout, sb.ToString());
        return 0;
    }

    private static string Describe(AbstractStruct s)
    {
        switch (s)
        {
            case GcStruct:
                return $"GC    {s.Id} len={s.Length}";
            case SkipStruct:
                return $"Skip  {s.Id} len={s.Length}";
            default:
                var item = (Item)s;
                var sb = new StringBuilder();
                sb.Append($"Item  {s.Id} len={s.Length}");
                if (item.Origin is { } o)
                {
                    sb.Append($" origin={o}");
                }

                if (item.RightOrigin is { } ro)
                {
                    sb.Append($" rightOrigin={ro}");
                }

                if (item.ParentName != null)
                {
                    sb.Append($" parent=\"{item.ParentName}\"");
                }
                else if (item.ParentId is { } pid)
                {
                    sb.Append($" parent={pid}");
                }

                if (item.ParentSub != null)
                {
                    sb.Append(" key=");
                    JsJson.WriteString(sb, item.ParentSub);
                }

                sb.Append(' ').Append(DescribeContent(item.Content));
                return sb.ToString();
        }
    }

    private static string DescribeContent(Content content) => content switch
    {
        ContentDeleted d => $"Deleted({d.Length})",
        ContentString s => "String(" + JsJson.Stringify(s.Text) + ")",
        ContentFormat f => $"Format({JsJson.Stringify(f.Key)}: {JsJson.Stringify(f.Value)})",
        ContentEmbed e => $"Embed({JsJson.Stringify(e.Embed)})",
        ContentBinary b => $"Binary({Convert.ToHexString(b.Data)})",
        ContentType t => $"Type({t.Type.GetType().Name})",
        ContentDoc d => $"Doc({JsJson.Stringify(d.Document.Guid)})",
        ContentJson j => "JSON(" + JsJson.Stringify(j.GetContent()) + ")",
        ContentAny a => "Any(" + JsJson.Stringify(a.GetContent().Select(Printable).ToList()) + ")",
        _ => content.GetType().Name,
    };

    private static object? Printable(object? v) => v switch
    {
        System.Numerics.BigInteger b => b.ToString(System.Globalization.CultureInfo.InvariantCulture) + "n",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        _ => v,
    };

    private sealed class UsageException(string message) : Exception(message);

    private sealed class Options
    {
        public string? Output { get; private set; }

        public List<string> Files { get; } = [];

        public List<(string Name, string Kind)> Types { get; } = [];

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (a is "-o" or "--output")
                {
                    o.Output = ++i < args.Length ? args[i] : throw new UsageException($"{a} needs a file name");
                }
                else if (a == "--type")
                {
                    var spec = ++i < args.Length ? args[i] : throw new UsageException("--type needs NAME=KIND");
                    var eq = spec.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new UsageException($"--type expects NAME=KIND, got '{spec}'");
                    }

                    o.Types.Add((spec[..eq], spec[(eq + 1)..]));
                }
                else if (a.StartsWith('-') && a != "-")
                {
                    throw new UsageException($"unknown option '{a}'");
                }
                else
                {
                    o.Files.Add(a);
                }
            }

            return o;
        }

        public void RequireFiles(int min, int max)
        {
            if (Files.Count < min || Files.Count > max)
            {
                throw new UsageException(min == max ? $"expected {min} file(s), got {Files.Count}" : $"expected at least {min} file(s), got {Files.Count}");
            }
        }
    }
}
