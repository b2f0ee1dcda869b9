namespace Cortex.Worker.Embeddings;

internal sealed record PendingItem(string Id, long Version, string SubcortexId, string Text);
