using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

public sealed record ReplicaOptions
{
    /// <summary>Receives every change to synced items inside the transaction that makes it; LocalSearch indexes there.</summary>
    public IReplicaChangeSink? ChangeSink { get; init; }

    /// <summary>Runs once on the write connection after the schema is current: load SQLite extensions the sink's
    /// triggers need (sqlite-vec) and create the sink's tables here.</summary>
    public Action<SqliteConnection>? WriteConnectionOpened { get; init; }

    /// <summary>Runs on every connection from <see cref="ReplicaStore.OpenReadConnection"/>, e.g. to load sqlite-vec.</summary>
    public Action<SqliteConnection>? ReadConnectionOpened { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether entity rows keep the server's embedding. The sink always receives it; when the search index keeps
    /// its own copy (LocalSearch's <c>search_item.embedding</c>), turn this off to halve what a bootstrap writes.</summary>
    public bool StoreEmbeddings { get; init; } = true;

    /// <summary>The source of backoff jitter; seed it in tests.</summary>
    public Random Random { get; init; } = Random.Shared;

    public OutboxOptions Outbox { get; init; } = new();

    /// <summary>More than <see cref="ResetLoopThreshold"/> epoch resets within <see cref="ResetLoopWindow"/> is reported
    /// as a suspected reset loop.</summary>
    public int ResetLoopThreshold { get; init; } = 3;

    public TimeSpan ResetLoopWindow { get; init; } = TimeSpan.FromMinutes(30);
}

public sealed record OutboxOptions
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An upload without an answer for this long is treated as failed, so a lost answer cannot stall the queue.</summary>
    public TimeSpan InFlightTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>From this many failed attempts on, the oldest item is uploaded alone, so a poison write fails alone.</summary>
    public int IsolateAfterAttempts { get; init; } = 3;

    /// <summary>After this many failed attempts an item is given up (state rejected, reason <see cref="OutboxReasons.Undeliverable"/>).</summary>
    public int MaxAttempts { get; init; } = 25;
}
