using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class ObjectKeyTests
{
    private const string Sha = "ab3f8c2e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";

    [Theory]
    [InlineData("a")]
    [InlineData("sha256/ab/cdef")]
    [InlineData("tenant-1/attachments/2026/file_v2.bin")]
    [InlineData("a.b..c")]
    public void Ordinary_keys_are_valid(string key)
    {
        ObjectKey.Validate(key);
        Assert.True(ObjectKey.IsValid(key));
    }

    [Fact]
    public void Content_addresses_round_trip()
    {
        var key = ObjectKey.ForSha256(Sha);

        Assert.Equal("sha256/ab/" + Sha[2..], key);
        Assert.Equal(Sha, ObjectKey.TryGetSha256(key));
        Assert.Null(ObjectKey.TryGetSha256("sha256/ab/xyz"));
        Assert.Null(ObjectKey.TryGetSha256("docs/readme"));
        Assert.Throws<ArgumentException>(() => ObjectKey.ForSha256(Sha.ToUpperInvariant()));
        Assert.Throws<ArgumentException>(() => ObjectKey.ForSha256("abc"));
    }

    [Fact]
    public void The_reason_names_the_problem_and_shows_control_characters()
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.Validate("a\0/../b"));

        Assert.Contains("a\\u0000/../b", error.Message, StringComparison.Ordinal);
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/")]
    [InlineData("sha256/a")]
    public void Prefixes_may_be_empty_end_with_a_slash_or_cut_a_segment(string prefix) =>
        ObjectKey.ValidatePrefix(prefix);

    [Theory]
    [InlineData("../")]
    [InlineData("/")]
    [InlineData("a//")]
    public void Hostile_prefixes_are_rejected(string prefix) =>
        Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.ValidatePrefix(prefix));
}
