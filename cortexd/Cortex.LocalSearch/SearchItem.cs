namespace Cortex.LocalSearch;

/// <summary>
/// One searchable row of the replica, as the sync engine writes it.
/// </summary>
/// <param name="Id">The item's ULID (text), the same id the server uses.</param>
/// <param name="ParentId">The thread a comment belongs to, the artifact a version belongs to; null otherwise.</param>
/// <param name="Embedding">
/// The all-MiniLM-L6-v2 vector (384 floats, L2-normalized) synced from the server, or computed locally for a
/// pending write; null leaves the item searchable by keywords only.
/// </param>
/// <param name="Stale">Set when the item is past its review date (also derived from <paramref name="ReviewDue"/>).</param>
/// <param name="Quarantined">Quarantined items are kept out of both indexes and never returned.</param>
/// <param name="Contradiction">Flagged as contradicting other content; ranked lower.</param>
/// <param name="Pending">A local write the server has not accepted yet; shown, and marked as such.</param>
public sealed record SearchItem(
    string Id,
    SearchItemKind Kind,
    string Subcortex,
    string Title,
    string Body,
    TrustLevel Trust,
    DateTimeOffset Updated,
    float[]? Embedding,
    string? ParentId = null,
    DateTimeOffset? ReviewDue = null,
    bool Stale = false,
    bool Quarantined = false,
    bool Contradiction = false,
    bool Pending = false);
