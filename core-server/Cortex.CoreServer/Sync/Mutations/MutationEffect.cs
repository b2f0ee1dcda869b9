namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>What a mutation produced: the entity it wrote, or the draft the gate turned it into.</summary>
internal sealed record MutationEffect(string? EntityId, string? DraftId)
{
    public static MutationEffect Wrote(string entityId) => new(entityId, null);

    public static MutationEffect Drafted(string draftId) => new(null, draftId);
}
