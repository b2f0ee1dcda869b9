namespace Cortex.CoreServer.Search;

/// <summary>Restricts results; empty lists and null bounds mean "no restriction". Kinds and trust tiers are lower-case names.</summary>
public sealed record SearchFilter(
    IReadOnlyList<string> Subcortexes,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> TrustTiers,
    DateTimeOffset? UpdatedFrom,
    DateTimeOffset? UpdatedTo)
{
    public static readonly IReadOnlyList<string> AllKinds = ["thread", "comment", "observation", "artifact"];

    public static SearchFilter None { get; } = new([], [], [], null, null);
}
