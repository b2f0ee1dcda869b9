using System.Text;
using Cortex.SyncProtocol;

namespace Cortex.Replica.Tests;

/// <summary>
/// The server side of the model test: a change feed with holes (positions of other principals), purges that revoke
/// access for good, and epochs. <see cref="Expected"/> is what a correct replica holds at a cursor: every change up to
/// it that the principal may still read.
/// </summary>
internal sealed class SimulatedFeed(Random random)
{
    private static readonly string[] Kinds = ["subcortex", "thread", "comment", "task", "gadget"];

    private readonly List<EntityChange> _log = [];
    private readonly Dictionary<(string, string), long> _versions = [];
    private readonly HashSet<(string Entity, string Id)> _revokedItems = [];
    private readonly HashSet<string> _revokedSubcortexes = [];
    private readonly HashSet<string> _revokedKinds = [];

    public long Epoch { get; private set; } = 1;

    public long Head { get; private set; }

    public void Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Head += random.Next(1, 4);
            var entity = Kinds[random.Next(Kinds.Length)];
            var id = entity == "subcortex" ? $"sc-{random.Next(3)}" : $"{entity}-{random.Next(25):D2}";
            var subcortex = entity == "subcortex" ? id : $"sc-{(id.GetHashCode(StringComparison.Ordinal) & 0x7fffffff) % 3}";
            if (!MayRead(entity, id, subcortex))
            {
                continue;
            }

            var version = _versions[(entity, id)] = _versions.GetValueOrDefault((entity, id)) + 1;
            var delete = version > 1 && random.Next(5) == 0;
            _log.Add(new EntityChange
            {
                Position = Head,
                Entity = entity,
                EntityId = id,
                Operation = delete ? ChangeOperation.Delete : ChangeOperation.Upsert,
                Version = version,
                SubcortexId = subcortex,
                Payload = delete ? null : Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","title":"{{entity}} v{{version}}","threadId":"thread-01"}"""),
            });
        }
    }

    /// <summary>The feed between two positions as the server sends it now; <paramref name="stale"/> gives it as computed
    /// before this epoch's purges (still holding items revoked since the epoch began), as a batch in flight during a
    /// purge would be. Batches computed in an earlier epoch cannot arrive: their epoch no longer matches.</summary>
    public ChangeBatch Batch(long after, long upTo, bool stale = false, long? epoch = null) => new()
    {
        Epoch = epoch ?? Epoch,
        After = after,
        UpTo = upTo,
        Changes = [.. _log.Where(c => c.Position > after && c.Position <= upTo && (MayRead(c) || (stale && !RevokedAtEpochStart(c))))],
        Head = Head,
    };

    public PurgeInstruction RevokeSomething()
    {
        var purge = new PurgeInstruction { Epoch = Epoch, AtPosition = Head + 1, Reason = "access shrank" };
        switch (random.Next(4))
        {
            case 0:
                var subcortex = $"sc-{random.Next(3)}";
                _revokedSubcortexes.Add(subcortex);
                return purge with { Scopes = [new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = subcortex }] };
            case 1:
                var kind = random.Next(2) == 0 ? "task" : "gadget";
                _revokedKinds.Add(kind);
                return purge with { Scopes = [new PurgeScope { Kind = PurgeScopeKind.EntityKind, Id = kind }] };
            default:
                var items = _log.Where(MayRead).Select(c => (c.Entity, c.EntityId)).Distinct().OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                _revokedItems.UnionWith(items);
                return purge with { Entities = [.. items.Select(i => new EntityRef { Entity = i.Entity, EntityId = i.EntityId })] };
        }
    }

    public long BumpEpoch()
    {
        _revokedAtEpochStart = (new HashSet<(string, string)>(_revokedItems), new HashSet<string>(_revokedSubcortexes), new HashSet<string>(_revokedKinds));
        return ++Epoch;
    }

    private (HashSet<(string, string)> Items, HashSet<string> Subcortexes, HashSet<string> Kinds) _revokedAtEpochStart = ([], [], []);

    private bool RevokedAtEpochStart(EntityChange change) =>
        _revokedAtEpochStart.Items.Contains((change.Entity, change.EntityId)) || _revokedAtEpochStart.Kinds.Contains(change.Entity)
        || (change.SubcortexId is { } subcortex && _revokedAtEpochStart.Subcortexes.Contains(subcortex));

    public Dictionary<(string Entity, string Id), (long Version, string Json)> Expected(long cursor)
    {
        var state = new Dictionary<(string, string), (long, string)>();
        foreach (var change in _log.Where(c => c.Position <= cursor && MayRead(c)))
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

    private bool MayRead(EntityChange change) => MayRead(change.Entity, change.EntityId, change.SubcortexId);

    private bool MayRead(string entity, string id, string? subcortex) =>
        !_revokedItems.Contains((entity, id)) && !_revokedKinds.Contains(entity) && (subcortex is null || !_revokedSubcortexes.Contains(subcortex));
}
