using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using Npgsql;

namespace Cortex.CoreServer.Embeddings;

/// <summary>
/// Sets <see cref="EntityChange.PackedEmbedding"/> on the searchable entities of a feed page from the stored vectors. A
/// vector is attached only when it was computed from the state the change carries (or a newer one), so a replica never
/// pairs new text with an old vector; the worker re-emits the item when the fresh vector lands.
/// </summary>
internal static class FeedEmbeddings
{
    private static readonly HashSet<string> Searchable = new(StringComparer.Ordinal)
    {
        EntityNames.Thread, EntityNames.Comment, EntityNames.Observation, EntityNames.Artifact,
    };

    public static async Task<List<EntityChange>> AttachAsync(
        NpgsqlConnection connection, List<EntityChange> changes, CancellationToken cancellationToken = default)
    {
        // One lookup per entity even when a page holds several changes of it; (entity, entity_id) is the table's key,
        // so no DISTINCT over 1.5 kB vectors is needed.
        var wanted = changes
            .Where(c => c.Operation == SyncProtocol.ChangeOperation.Upsert && Searchable.Contains(c.Entity))
            .DistinctBy(c => (c.Entity, c.EntityId))
            .ToList();
        if (wanted.Count == 0)
        {
            return changes;
        }

        // vector_send is pgvector's binary form, read as one bytea: decoding it float by float through the vector type
        // handler was two thirds of a bootstrap page's payload time on the server.
        var vectors = new Dictionary<(string Entity, string EntityId), (long Version, byte[] Packed)>(wanted.Count);
        await using (var command = new NpgsqlCommand(
            """
            SELECT e.entity, e.entity_id, e.version, vector_send(e.embedding)
            FROM embeddings e JOIN unnest(@entities, @ids) AS w(entity, id) ON e.entity = w.entity AND e.entity_id = w.id
            """,
            connection))
        {
            command.Parameters.AddWithValue("entities", wanted.Select(c => c.Entity).ToArray());
            command.Parameters.AddWithValue("ids", wanted.Select(c => c.EntityId).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                vectors[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), Pack(reader.GetFieldValue<byte[]>(3)));
            }
        }

        return changes.Select(change =>
            change.Operation == SyncProtocol.ChangeOperation.Upsert
            && vectors.TryGetValue((change.Entity, change.EntityId), out var stored) && stored.Version >= change.Version
                ? change with { PackedEmbedding = stored.Packed }
                : change).ToList();
    }

    /// <summary>pgvector's binary form (int16 dimensions, int16 unused, then big-endian float32s) as
    /// <see cref="SyncProtocol.PackedEmbedding"/> bytes (little-endian float32s).</summary>
    internal static byte[] Pack(ReadOnlySpan<byte> vectorSend)
    {
        const int Header = 4;
        if (vectorSend.Length < Header || BinaryPrimitives.ReadInt16BigEndian(vectorSend) * sizeof(float) != vectorSend.Length - Header)
        {
            throw new InvalidDataException($"A pgvector value of {vectorSend.Length} bytes does not match its dimension header.");
        }

        var packed = vectorSend[Header..].ToArray();
        if (BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, int>(packed.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return packed;
    }
}
