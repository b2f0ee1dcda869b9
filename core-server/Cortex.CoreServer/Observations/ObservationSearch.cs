namespace Cortex.CoreServer.Observations;

/// <summary>
/// The full-text vector of an observation. It is not computed on insert (migration 0900): keyword search computes it
/// for rows <see cref="ObservationSearchIndexer"/> has not reached yet, so both must use this same expression.
/// </summary>
internal static class ObservationSearch
{
    /// <summary>The vector of the observation aliased <c>o</c>.</summary>
    public const string VectorSql = "to_tsvector('english', o.kind || ' ' || o.body)";
}
