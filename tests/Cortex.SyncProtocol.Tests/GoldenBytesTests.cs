using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;

namespace Cortex.SyncProtocol.Tests;

/// <summary>
/// Pins the wire format: each sample's serialization must equal its checked-in hex file byte for byte. A failure here
/// means the wire changed; if that is intended, follow the versioning rule in sync-protocol's README, then regenerate
/// with CORTEX_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class GoldenBytesTests
{
    public static TheoryData<string> MessageNames => [.. Samples.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Serialization_matches_the_golden_file(string name)
    {
        var sample = Samples.All[name];
        var actual = Convert.ToHexStringLower(MessagePackSerializer.Serialize(sample.GetType(), sample, SyncSerializer.Options));
        var path = GoldenPath(name);
        if (Environment.GetEnvironmentVariable("CORTEX_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual + "\n");
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; generate it with CORTEX_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path).Trim(), actual);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Golden_bytes_decode_and_encode_to_the_same_bytes(string name)
    {
        var sample = Samples.All[name];
        var golden = Convert.FromHexString(File.ReadAllText(GoldenPath(name)).Trim());
        var decoded = MessagePackSerializer.Deserialize(sample.GetType(), golden, SyncSerializer.Options);

        Assert.NotNull(decoded);
        Assert.Equal(golden, MessagePackSerializer.Serialize(sample.GetType(), decoded, SyncSerializer.Options));
    }

    [Fact]
    public void Every_wire_message_has_a_golden_sample()
    {
        var contracts = typeof(Hello).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(contracts, Samples.All.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_wire_member_has_an_explicit_integer_key()
    {
        var unkeyed = typeof(Hello).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(m => m.Property.GetCustomAttribute<KeyAttribute>() is not { IntKey: not null })
            .Select(m => $"{m.Type.Name}.{m.Property.Name}")
            .ToList();

        Assert.Empty(unkeyed);
    }

    [Fact]
    public void Enum_values_are_pinned()
    {
        Assert.Equal([0, 1, 2, 3], Enum.GetValues<HelloStatus>().Select(v => (int)v));
        Assert.Equal([0, 1], Enum.GetValues<ChangeOperation>().Select(v => (int)v));
        Assert.Equal([0, 1, 2], Enum.GetValues<DocumentMessageKind>().Select(v => (int)v));
        Assert.Equal([0, 1, 2], Enum.GetValues<VerdictOutcome>().Select(v => (int)v));
        Assert.Equal([0, 1], Enum.GetValues<PurgeScopeKind>().Select(v => (int)v));
    }

    private static string GoldenPath(string name, [CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "Golden", name + ".hex");
}
