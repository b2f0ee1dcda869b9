using System.Net.Http.Json;
using System.Text.Json;
using Cortex.ScaleOut.Tests.Infrastructure;

namespace Cortex.ScaleOut.Tests;

/// <summary>A merge made through one instance reaches a replica on the other as moved items and a redirected subcortex.</summary>
[Collection(ScaleOutCluster.Collection)]
public sealed class MergeSyncTests(ScaleOutCluster cluster)
{
    [Fact]
    public async Task A_replica_receives_the_moved_thread_and_the_merged_subcortex()
    {
        using var viaB = cluster.B.Client(cluster.AdminKey);
        var source = await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "sync-merge-old", name = "Old" }));
        var target = await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "sync-merge-new", name = "New" }));
        var thread = (await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes/sync-merge-old/threads", new { title = "Moves", body = "b" })))
            .GetProperty("id").GetString()!;
        await using var replica = await SyncClient.ConnectAsync(cluster.A, cluster.AdminKey, cluster.AdminId);
        var before = (await replica.PullAsync(0)).Head;

        await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes/sync-merge-old/merge", new { into = "sync-merge-new" }));
        var mergedAt = await cluster.Database.ScalarAsync<long>(
            $"SELECT max(position) FROM changes WHERE entity = 'subcortex' AND entity_id = '{source.GetProperty("id").GetString()}'");
        await replica.WaitForHeadAsync(mergedAt, TimeSpan.FromSeconds(15));

        var batch = await replica.PullAsync(before);
        var moved = JsonDocument.Parse(Assert.Single(batch.Changes, c => c.EntityId == thread).Payload!).RootElement;
        Assert.Equal(target.GetProperty("id").GetString(), moved.GetProperty("subcortexId").GetString());
        var merged = JsonDocument.Parse(Assert.Single(batch.Changes, c => c.EntityId == source.GetProperty("id").GetString()).Payload!).RootElement;
        Assert.Equal(("merged", target.GetProperty("id").GetString()), (merged.GetProperty("state").GetString(), merged.GetProperty("mergedIntoId").GetString()));
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
