using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests;

/// <summary>The server's vectors reach the replica with the items (issue 5: the daemon embeds only queries and its own
/// pending writes), and a vector computed from older text never travels with newer text.</summary>
public sealed class EmbeddingSyncTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task A_stored_vector_is_synced_into_the_replica_and_a_stale_one_is_not()
    {
        var subcortex = await server.CreateSubcortexAsync(server.AdminKey, "vectors");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "vectors", "Vector carrier");
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await daemon.WaitCaughtUpAsync();
        Assert.Null(ReplicaEmbedding(daemon, threadId));

        var vector = Enumerable.Range(0, 384).Select(i => MathF.Sin(i) / 10).ToArray();
        await StoreVectorAsWorkerDoesAsync(threadId, subcortex.GetProperty("id").GetString()!, version: 1, vector);
        await daemon.WaitCaughtUpAsync();
        Assert.Equal(MemoryMarshal.AsBytes(vector.AsSpan()).ToArray(), ReplicaEmbedding(daemon, threadId));

        using var admin = server.Client(server.AdminKey);
        await SyncServer.Ok(await admin.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { body = "New text, not embedded yet.", version = 1 }));
        await daemon.WaitCaughtUpAsync();
        Assert.Null(ReplicaEmbedding(daemon, threadId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_replica_of_protocol_1_gets_the_vector_as_floats_and_one_of_protocol_2_as_packed_bytes(int protocol)
    {
        var slug = "vectors-v" + protocol;
        var subcortex = await server.CreateSubcortexAsync(server.AdminKey, slug);
        var threadId = await server.CreateThreadAsync(server.AdminKey, slug, "Vector carrier " + protocol);
        var vector = Enumerable.Range(0, 384).Select(i => MathF.Cos(i * protocol) / 10).ToArray();
        await StoreVectorAsWorkerDoesAsync(threadId, subcortex.GetProperty("id").GetString()!, version: 1, vector);
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var hello = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId, version: protocol));
        Assert.Equal(HelloStatus.Accepted, hello.Status);

        var changes = new List<EntityChange>();
        for (var cursor = 0L; ;)
        {
            var batch = await hub.InvokeAsync<ChangeBatch>(nameof(ISyncHub.PullChanges), new PullRequest { Epoch = hello.Epoch, After = cursor, MaxChanges = 1000 });
            changes.AddRange(batch.Changes.Where(c => c.EntityId == threadId));
            cursor = batch.UpTo;
            if (!batch.HasMore)
            {
                break;
            }
        }

        var carrier = changes.Last(c => c.EmbeddingVector() is not null);
        Assert.Equal(vector, carrier.EmbeddingVector()!);
        if (protocol == 1)
        {
            Assert.Null(carrier.PackedEmbedding);
        }
        else
        {
            Assert.Null(carrier.Embedding);
            Assert.Equal(MemoryMarshal.AsBytes(vector.AsSpan()).ToArray(), carrier.PackedEmbedding);
        }
    }

    /// <summary>What the worker's embedding job does: store the vector for the row version it embedded and append an
    /// <c>updated</c> change for the item in the same transaction.</summary>
    private async Task StoreVectorAsWorkerDoesAsync(string threadId, string subcortexId, long version, float[] vector)
    {
        await using var connection = await server.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            """
            INSERT INTO embeddings (entity, entity_id, version, model, subcortex_id, embedding)
            VALUES ('thread', @id, @version, 'test', @subcortex, @vector::real[]::vector)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", threadId);
            insert.Parameters.AddWithValue("version", version);
            insert.Parameters.AddWithValue("subcortex", subcortexId);
            insert.Parameters.AddWithValue("vector", vector);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var feed = new Npgsql.NpgsqlCommand(
            """
            WITH head AS (UPDATE feed_head SET position = position + 1 WHERE id = 1 RETURNING position)
            INSERT INTO changes (position, entity, entity_id, operation, version, subcortex_id)
            SELECT head.position, 'thread', @id, 'updated', @version, @subcortex FROM head
            """, connection, transaction))
        {
            feed.Parameters.AddWithValue("id", threadId);
            feed.Parameters.AddWithValue("version", version);
            feed.Parameters.AddWithValue("subcortex", subcortexId);
            await feed.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static byte[]? ReplicaEmbedding(TestDaemon daemon, string threadId)
    {
        using var connection = daemon.Replica.OpenReadConnection();
        using var command = connection.CreateCommand();
        // The search index keeps the item's vector; the entity row does not keep a second copy.
        command.CommandText = "SELECT s.embedding FROM search_item s JOIN threads t ON t.id = s.id AND t.embedding IS NULL WHERE s.id = $id AND s.pending = 0";
        command.Parameters.AddWithValue("$id", threadId);
        return command.ExecuteScalar() as byte[];
    }
}
