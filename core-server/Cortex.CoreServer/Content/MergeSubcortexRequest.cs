using Cortex.SharedModel.Content;

namespace Cortex.CoreServer.Content;

/// <summary><c>POST /api/v1/subcortexes/{slug}/merge</c>: <see cref="Into"/> is the slug of the subcortex that takes the content.</summary>
public sealed record MergeSubcortexRequest(string? Into);

/// <summary>The answer to a merge: the source (now merged, pointing at the target), the target, and what moved.</summary>
public sealed record SubcortexMergeResult(Subcortex Source, Subcortex Target, MergedContent Moved);
