namespace Cortex.Worker.Embeddings;

/// <summary>
/// The payload of a <c>search.embed</c> job, written by the database triggers of migration 0700: the feed entity name
/// (thread, comment, observation, artifact) and the ids of the items to (re-)embed.
/// </summary>
public sealed record EmbedItemsPayload(string Entity, IReadOnlyList<string> Ids);
