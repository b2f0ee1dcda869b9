using Cortex.Embeddings;

namespace Cortex.CoreServer.Embeddings;

/// <summary>
/// Embeds search queries in the server process with the model the worker uses for items (all-MiniLM-L6-v2), loaded
/// once per process at the first semantic or hybrid search. The model serializes its calls, so at most one query is
/// embedded at a time; queries are short (~10–20 ms of CPU).
/// </summary>
internal sealed class QueryEmbedder(Lazy<ITextEmbedder> embedder)
{
    public float[] Embed(string query, CancellationToken cancellationToken = default) => embedder.Value.Embed(query, cancellationToken);

    /// <summary>pgvector's text form, so no type mapping is needed on the data source.</summary>
    public static string ToLiteral(ReadOnlySpan<float> vector)
    {
        var text = new System.Text.StringBuilder((vector.Length * 12) + 2).Append('[');
        for (var i = 0; i < vector.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(vector[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }
}
