using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Feed;
using Npgsql;

namespace Cortex.CoreServer.Database;

/// <summary>
/// The one transaction of a writing request. Features run their SQL on <see cref="Connection"/> inside
/// <see cref="Transaction"/> and record what they changed; <see cref="CommitAsync"/> appends the audit events and,
/// as the very last statement, the change-feed rows, then commits. When the idempotency middleware owns the request it
/// defers the commit so that the stored response commits atomically with the write.
/// </summary>
internal sealed class WriteSession(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private readonly List<PendingChange> _changes = [];
    private readonly List<AuditEntry> _audit = [];
    private readonly List<Action> _afterCommit = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _commitDeferred;

    public NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("Call BeginAsync first.");

    public NpgsqlTransaction Transaction => _transaction ?? throw new InvalidOperationException("Call BeginAsync first.");

    /// <summary>The feed position of the last change this session committed, once committed.</summary>
    public long? CommittedPosition { get; private set; }

    /// <summary>Runs between the feed append and COMMIT; tests use it to hold a transaction at its most delicate point.</summary>
    public Func<CancellationToken, Task>? BeforeCommit { get; set; }

    public async Task BeginAsync(CancellationToken cancellationToken = default)
    {
        if (_transaction is not null)
        {
            return;
        }

        _connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
    }

    public void Record(PendingChange change) => _changes.Add(change);

    public void Audit(AuditEntry entry) => _audit.Add(entry);

    /// <summary>Runs <paramref name="action"/> once the transaction has committed (cache invalidation and the like).</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    public void DeferCommit() => _commitDeferred = true;

    /// <summary>Commits, unless the idempotency middleware deferred the commit to <see cref="CommitNowAsync"/>.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        _commitDeferred ? Task.CompletedTask : CommitNowAsync(cancellationToken);

    public async Task CommitNowAsync(CancellationToken cancellationToken = default)
    {
        var transaction = Transaction;
        if (_changes.Count > 0 && _audit.Count == 0)
        {
            // Every write is audited: a feature that records a change but no audit event is a bug, and committing it
            // would leave a write the admins cannot see.
            throw new InvalidOperationException(
                $"A write recorded {_changes.Count} change(s) ({_changes[0].Entity} {_changes[0].EntityId}) but no audit event.");
        }

        await AuditLog.AppendAsync(Connection, transaction, _audit, cancellationToken);
        if (_changes.Count > 0)
        {
            CommittedPosition = await ChangeFeedWriter.AppendAsync(Connection, transaction, _changes, cancellationToken);
        }

        if (BeforeCommit is { } beforeCommit)
        {
            await beforeCommit(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await DisposeAsync();
        foreach (var action in _afterCommit)
        {
            action();
        }

        _changes.Clear();
        _audit.Clear();
        _afterCommit.Clear();
    }

    public async Task RollbackAsync()
    {
        _changes.Clear();
        _audit.Clear();
        _afterCommit.Clear();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
