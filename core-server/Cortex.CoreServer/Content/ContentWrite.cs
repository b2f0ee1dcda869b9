using Cortex.CoreServer.Drafts;

namespace Cortex.CoreServer.Content;

/// <summary>What a content write became: the item itself, or a draft waiting in the review queue (the draft gate).</summary>
internal sealed record ContentWrite<T>(T? Item, Draft? Draft)
    where T : class
{
    public static ContentWrite<T> Written(T item) => new(item, null);

    public static ContentWrite<T> Gated(Draft draft) => new(null, draft);
}
