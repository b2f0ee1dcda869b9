namespace Cortex.LocalSearch;

/// <summary>
/// One searchable row of the replica, as the sync engine writes it.
/// </summary>
/// <param name="Id">The item's ULID (text), the same id the server uses.</param>
/// <param name="Kind">Thread, comment, observation, artifact (version), draft or task.</param>
/// <param name="Subcortex">The slug of the subcortex it lives in.</param>
/// <param name="Title">Title (for a comment: its thread's title).</param>
/// <param name="Body">Plain or markdown text, indexed for keywords.</param>
/// <param name="Trust">Its place in review: canon, accepted, reviewed, comment, observation or draft.</param>
/// <param name="Updated">Last change on the server (or locally, for a pending write).</param>
/// <param name="ParentId">The thread a comment belongs to, the artifact a version belongs to; null otherwise.</param>
/// <param name="Embedding">
/// The all-MiniLM-L6-v2 vector (384 floats, L2-normalized) synced from the server, or computed locally for a
/// pending write; null leaves the item searchable by keywords only.
/// </param>
/// <param name="ReviewDue">When the item is due for review; past it, the item counts as stale.</param>
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
