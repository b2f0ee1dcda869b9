using MessagePack;

namespace Cortex.SyncProtocol.Tests;

public sealed class CompatibilityTests
{
    [Fact]
    public void The_current_version_is_accepted()
    {
        Assert.True(ProtocolVersion.IsSupported(ProtocolVersion.Current));
        Assert.Null(ProtocolVersion.CheckCompatibility(ProtocolVersion.Current));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ProtocolVersion.Current + 1)]
    [InlineData(int.MaxValue)]
    public void An_unsupported_version_gets_an_answer_naming_the_supported_range(int clientVersion)
    {
        var result = ProtocolVersion.CheckCompatibility(clientVersion);

        Assert.NotNull(result);
        Assert.Equal(HelloStatus.IncompatibleVersion, result.Status);
        Assert.Equal(ProtocolVersion.Current, result.ServerProtocolVersion);
        Assert.Equal(ProtocolVersion.MinimumSupported, result.MinimumSupportedVersion);
        Assert.Contains(clientVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Message);
    }

    /// <summary>The versioning rule in practice: a newer peer's extra trailing fields are skipped, and an older peer's
    /// missing optional fields decode as defaults.</summary>
    [Fact]
    public void Messages_tolerate_added_and_missing_trailing_fields()
    {
        var newer = MessagePackSerializer.Serialize<object?[]>([3L, 5001L, 17L, "a field from a future version"], SyncSerializer.Options);
        var older = MessagePackSerializer.Serialize<object?[]>([3L, 5001L], SyncSerializer.Options);

        Assert.Equal(new HeadAdvanced { Epoch = 3, Head = 5001, CommittedAtUnixMs = 17 }, SyncSerializer.Deserialize<HeadAdvanced>(newer));
        Assert.Equal(new HeadAdvanced { Epoch = 3, Head = 5001 }, SyncSerializer.Deserialize<HeadAdvanced>(older));
    }

    /// <summary>A replica from before prefetching sends three fields; its applied cursor is absent, and the server
    /// then reads the pull's own cursor as applied.</summary>
    [Fact]
    public void A_pull_without_an_applied_cursor_counts_its_after_as_applied()
    {
        var beforePrefetch = Convert.FromHexString("9303cd03e8cd01f4");

        var request = SyncSerializer.Deserialize<PullRequest>(beforePrefetch);

        Assert.Equal(new PullRequest { Epoch = 3, After = 1000, MaxChanges = 500 }, request);
        Assert.Null(request.Applied);
    }

    /// <summary>A protocol 1 server sends nine fields with the embedding as floats; the current type reads it, and the
    /// vector comes out the same either way.</summary>
    [Fact]
    public void An_entity_change_of_protocol_1_decodes_and_its_vector_matches_the_packed_form()
    {
        var protocol1 = Convert.FromHexString(
            "99cd03efa6746872656164ba30314a44513659345a4b385730533247374d33543556395854480005ba30314a44513659345a4b385730533247374d3354355639585343"
            + "c43a7b226964223a2230314a44513659345a4b385730533247374d3354355639585448222c227469746c65223a22466c616b79206465706c6f79227d"
            + "93ca3e800000cabf800000ca3f000000cf000001a1ee565e00");

        var change = SyncSerializer.Deserialize<EntityChange>(protocol1);

        Assert.Null(change.PackedEmbedding);
        Assert.Equal([0.25f, -1f, 0.5f], change.EmbeddingVector()!);
        var packed = change with { Embedding = null, PackedEmbedding = PackedEmbedding.Pack(change.Embedding) };
        Assert.Equal("0000803E000080BF0000003F", Convert.ToHexString(packed.PackedEmbedding!));
        Assert.Equal([0.25f, -1f, 0.5f], packed.EmbeddingVector()!);
    }

    [Fact]
    public void A_packed_embedding_that_is_not_whole_floats_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => PackedEmbedding.Unpack(new byte[5]));
        Assert.Contains("5 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Empty(PackedEmbedding.Unpack([]));
    }
}
