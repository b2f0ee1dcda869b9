using System.Text;
using Cortex.SyncProtocol;

namespace Cortex.Replica.CrashHost;

/// <summary>
/// A deterministic feed shared by the crash host and the test that kills it: batch <c>i</c> covers positions
/// (i·Width, (i+1)·Width] and its content depends only on the seed, so the test can compute what the replica must
/// hold for any cursor.
/// </summary>
public sealed class CrashFeed
{
    public const int Width = 20;
    public const long Epoch = 1;
    private static readonly string[] Entities = ["thread", "comment", "observation", "widget"];

    private readonly List<ChangeBatch> _batches = [];

    public CrashFeed(int seed, int batchCount)
    {
        var random = new Random(seed);
        var versions = new Dictionary<(string, string), long>();
        for (var i = 0; i < batchCount; i++)
        {
            var changes = new List<EntityChange>();
            for (var position = (i * Width) + 1; position <= (i + 1) * Width; position++)
            {
                if (random.Next(5) == 0)
                {
                    continue; // filtered out for this principal: a hole in the positions, covered by the batch range
                }

                var entity = Entities[random.Next(Entities.Length)];
                var id = $"{entity}-{random.Next(60):D3}";
                var version = versions[(entity, id)] = versions.GetValueOrDefault((entity, id)) + 1;
                var delete = version > 1 && random.Next(6) == 0;
                var padding = new string((char)('a' + random.Next(26)), random.Next(1000, 6000));
                changes.Add(new EntityChange
                {
                    Position = position,
                    Entity = entity,
                    EntityId = id,
                    Operation = delete ? ChangeOperation.Delete : ChangeOperation.Upsert,
                    Version = version,
                    SubcortexId = $"sc-{random.Next(3)}",
                    Payload = delete ? null : Encoding.UTF8.GetBytes(
                        $$"""{"id":"{{id}}","title":"{{entity}} at {{position}}","threadId":"thread-000","body":"{{padding}}"}"""),
                    Embedding = entity == "observation" ? [position, version, 0.5f] : null,
                });
            }

            _batches.Add(new ChangeBatch
            {
                Epoch = Epoch,
                After = i * Width,
                UpTo = (i + 1) * Width,
                Changes = changes,
                HasMore = i < batchCount - 1,
                Head = batchCount * Width,
            });
        }
    }

    public IReadOnlyList<ChangeBatch> Batches => _batches;

    /// <summary>What the replica must hold with its cursor at <paramref name="cursor"/>: (entity, id) → (version, json).</summary>
    public Dictionary<(string Entity, string Id), (long Version, string Json)> ExpectedAt(long cursor)
    {
        var state = new Dictionary<(string, string), (long, string)>();
        foreach (var change in _batches.SelectMany(b => b.Changes).Where(c => c.Position <= cursor))
        {
            if (change.Operation == ChangeOperation.Delete)
            {
                state.Remove((change.Entity, change.EntityId));
            }
            else
            {
                state[(change.Entity, change.EntityId)] = (change.Version, Encoding.UTF8.GetString(change.Payload!));
            }
        }

        return state;
    }
}
