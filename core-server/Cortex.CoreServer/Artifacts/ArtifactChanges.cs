using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Feed;

namespace Cortex.CoreServer.Artifacts;

/// <summary>
/// Feed rows for artifacts. A version's entity id is <c>{artifactId}:{number}</c>; its feed version follows its state
/// (proposed 1, canon 2, superseded 3), the only part of a version that changes.
/// </summary>
internal static class ArtifactChanges
{
    public static PendingChange Artifact(Artifact artifact, ChangeOperation operation) =>
        new(EntityNames.Artifact, artifact.Id, operation, artifact.Version, SubcortexId: artifact.SubcortexId);

    public static PendingChange Version(ArtifactVersion version, string subcortexId, ChangeOperation operation = ChangeOperation.Created) =>
        new(EntityNames.ArtifactVersion, $"{version.ArtifactId}:{version.Number}", operation, (long)version.State + 1, SubcortexId: subcortexId);
}
