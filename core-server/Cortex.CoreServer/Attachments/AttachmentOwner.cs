namespace Cortex.CoreServer.Attachments;

/// <summary>The entity an attachment belongs to; its subcortex decides who may read the attachment.</summary>
internal sealed record AttachmentOwner(string Kind, string Id, string SubcortexId)
{
    public const string Thread = "thread";
    public const string Observation = "observation";
}
