namespace Cortex.SharedModel.Feed;

/// <summary>The entity names used in the change feed.</summary>
public static class EntityNames
{
    public const string Principal = "principal";
    public const string ApiKey = "apiKey";
    public const string Subcortex = "subcortex";
    public const string SubcortexMember = "subcortexMember";
    public const string Thread = "thread";
    public const string Comment = "comment";
    public const string Observation = "observation";
    public const string Attachment = "attachment";
    public const string Draft = "draft";
    public const string Artifact = "artifact";
    public const string ArtifactVersion = "artifactVersion";
    public const string SubcortexTemplate = "subcortexTemplate";
}
