using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// Writes waiting for the server. Upload is ordered: <see cref="NextBatch"/> hands out the oldest pending items in
/// client-id (ULID, creation) order and nothing while a batch is in flight. Verdicts are final per item, so a rejected
/// write leaves the queue and never holds back the ones behind it.
/// </summary>
public sealed partial class ReplicaOutbox
{
    private const string Columns = """
        client_id, kind, target_entity, target_id, payload, base_version, created_at_ms, state, attempts, next_attempt_at_ms,
        last_error, visible_at, entity_id, draft_id, reason_code, reason_message, decided_at_ms
        """;

    private readonly ReplicaDb _db;
    private readonly OutboxOptions _options;
    private readonly Random _random;
    private Ulid? _lastClientId;

    internal ReplicaOutbox(ReplicaDb db, ReplicaOptions options)
    {
        _db = db;
        _options = options.Outbox;
        _random = options.Random;
    }

    /// <summary>Queues a write under a new client id, strictly greater than every earlier one (monotonic ULID).</summary>
    public OutboxItem Enqueue(string kind, ReadOnlySpan<byte> payload, string? targetEntity = null, string? targetId = null, long? baseVersion = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        lock (_db.Gate)
        {
            var now = _db.NowUnixMs;
            var clientId = NextClientId(now).ToString();
            _db.Execute("""
                INSERT INTO outbox (client_id, kind, target_entity, target_id, payload, base_version, created_at_ms, state, next_attempt_at_ms)
                VALUES ($id, $kind, $te, $ti, $p, $bv, $now, 'pending', $now)
                """, null, ("$id", clientId), ("$kind", kind), ("$te", targetEntity), ("$ti", targetId), ("$p", payload.ToArray()),
                ("$bv", baseVersion), ("$now", now));
            return Read(null, "WHERE client_id = $id", ("$id", clientId))[0];
        }
    }

    /// <summary>
    /// Marks and returns the next items to upload: the oldest pending ones in client-id order whose retry time has come,
    /// stopping at the first that must still wait (so order holds), at most <paramref name="maxItems"/>; only the oldest
    /// alone once it has failed <see cref="OutboxOptions.IsolateAfterAttempts"/> times. Empty while an earlier batch awaits
    /// its answer, unless that wait exceeded <see cref="OutboxOptions.InFlightTimeout"/> (then it counts as failed).
    /// </summary>
    public IReadOnlyList<OutboxMutation> NextBatch(int maxItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var now = _db.NowUnixMs;
            var timedOut = Read(transaction, "WHERE state = 'sent' AND sent_at_ms <= $limit",
                ("$limit", now - (long)_options.InFlightTimeout.TotalMilliseconds));
            Fail(transaction, timedOut, "no answer within the in-flight timeout", now);
            if (_db.Scalar<long>("SELECT count(*) FROM outbox WHERE state = 'sent'", transaction) > 0)
            {
                transaction.Commit();
                return [];
            }

            var candidates = Read(transaction, "WHERE state = 'pending' ORDER BY client_id LIMIT $max", ("$max", maxItems));
            var ready = candidates.TakeWhile(item => item.NextAttemptAt.ToUnixTimeMilliseconds() <= now).ToList();
            if (ready.Count > 0 && ready[0].Attempts >= _options.IsolateAfterAttempts)
            {
                ready = ready[..1];
            }

            foreach (var item in ready)
            {
                _db.Execute("UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at_ms = $now WHERE client_id = $id", transaction,
                    ("$now", now), ("$id", item.ClientId));
            }

            transaction.Commit();
            return [.. ready.Select(ToMutation)];
        }
    }

    /// <summary>Records the server's verdicts. A verdict for an item already decided (an answer to a repeat upload) or
    /// unknown (pruned) changes nothing: the server answers a repeat with its first verdict.</summary>
    public int RecordVerdicts(IEnumerable<MutationVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var now = _db.NowUnixMs;
            var recorded = 0;
            foreach (var verdict in verdicts)
            {
                var state = verdict.Outcome switch
                {
                    VerdictOutcome.Accepted => "accepted",
                    VerdictOutcome.ConvertedToDraft => "draft",
                    VerdictOutcome.Rejected => "rejected",
                    _ => throw new ArgumentException($"Unknown verdict outcome {verdict.Outcome} for {verdict.ClientId}.", nameof(verdicts)),
                };
                recorded += _db.Execute("""
                    UPDATE outbox SET state = $s, visible_at = $v, entity_id = $e, draft_id = $d, reason_code = $rc,
                        reason_message = $rm, decided_at_ms = $now, last_error = NULL, sent_at_ms = NULL
                    WHERE client_id = $id AND state IN ('pending', 'sent')
                    """, transaction, ("$s", state), ("$v", verdict.Outcome == VerdictOutcome.Rejected ? null : verdict.VisibleAt),
                    ("$e", verdict.EntityId), ("$d", verdict.DraftId), ("$rc", verdict.ReasonCode), ("$rm", verdict.Message),
                    ("$now", now), ("$id", verdict.ClientId));
            }

            transaction.Commit();
            return recorded;
        }
    }

    /// <summary>The upload of these items got no verdict (connection lost, server error): back to pending, retried after
    /// an exponential backoff with jitter; given up after <see cref="OutboxOptions.MaxAttempts"/>.</summary>
    public void RecordFailure(IEnumerable<string> clientIds, string error)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var items = clientIds.SelectMany(id => Read(transaction, "WHERE client_id = $id AND state = 'sent'", ("$id", id))).ToList();
            Fail(transaction, items, error, _db.NowUnixMs);
            transaction.Commit();
        }
    }

    /// <summary>The backoff before retry number <paramref name="attempts"/> + 1: half of min(max, base·2^(attempts−1)),
    /// plus a random share of the other half ("equal jitter"), so replicas that failed together spread out.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (_random.NextDouble() * ceiling / 2));
    }

    internal static void RecoverAfterRestart(ReplicaDb db) =>
        // An upload in flight when the process died may or may not have reached the server; client ids make resending safe.
        db.Execute("UPDATE outbox SET state = 'pending', sent_at_ms = NULL, next_attempt_at_ms = $now WHERE state = 'sent'", null, ("$now", db.NowUnixMs));

    internal static void GiveUpUndecided(ReplicaDb db, SqliteTransaction transaction, string reasonCode, string message) =>
        db.Execute("""
            UPDATE outbox SET state = 'rejected', reason_code = $rc, reason_message = $rm, decided_at_ms = $now, sent_at_ms = NULL
            WHERE state IN ('pending', 'sent')
            """, transaction, ("$rc", reasonCode), ("$rm", message), ("$now", db.NowUnixMs));

    private void Fail(SqliteTransaction transaction, IReadOnlyList<OutboxItem> items, string error, long now)
    {
        foreach (var item in items)
        {
            if (item.Attempts >= _options.MaxAttempts)
            {
                _db.Execute("""
                    UPDATE outbox SET state = 'rejected', reason_code = $rc, reason_message = $rm, last_error = $err,
                        decided_at_ms = $now, sent_at_ms = NULL
                    WHERE client_id = $id
                    """, transaction, ("$rc", OutboxReasons.Undeliverable),
                    ("$rm", $"no answer from the server after {item.Attempts} attempts; last error: {error}"),
                    ("$err", error), ("$now", now), ("$id", item.ClientId));
            }
            else
            {
                _db.Execute("""
                    UPDATE outbox SET state = 'pending', last_error = $err, sent_at_ms = NULL, next_attempt_at_ms = $next
                    WHERE client_id = $id
                    """, transaction, ("$err", error), ("$next", now + (long)Backoff(item.Attempts).TotalMilliseconds), ("$id", item.ClientId));
            }
        }
    }

    private Ulid NextClientId(long nowMs)
    {
        _lastClientId ??= _db.Scalar<string>("SELECT max(client_id) FROM outbox") is { } max ? Ulid.Parse(max) : null;
        var candidate = Ulid.NewUlid(DateTimeOffset.FromUnixTimeMilliseconds(nowMs));
        if (_lastClientId is { } last && candidate.CompareTo(last) <= 0)
        {
            // Same millisecond (or a clock step back): increment the previous id so creation order stays id order.
            var bytes = last.ToByteArray();
            for (var i = bytes.Length - 1; i >= 0 && ++bytes[i] == 0; i--)
            {
            }

            candidate = new Ulid(bytes);
        }

        _lastClientId = candidate;
        return candidate;
    }

    private static OutboxMutation ToMutation(OutboxItem item) => new()
    {
        ClientId = item.ClientId,
        Kind = item.Kind,
        TargetEntity = item.TargetEntity,
        TargetId = item.TargetId,
        Payload = item.Payload,
        BaseVersion = item.BaseVersion,
        CreatedAtUnixMs = item.CreatedAt.ToUnixTimeMilliseconds(),
    };
}
