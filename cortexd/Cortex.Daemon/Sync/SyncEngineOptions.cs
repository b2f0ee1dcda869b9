namespace Cortex.Daemon.Sync;

internal sealed record SyncEngineOptions
{
    /// <summary>Changes asked for per pull (the server's maximum page); bootstrap commits one SQLite transaction per
    /// batch, so a larger batch halves the round trips and commits of a bootstrap (bench/Cortex.Sync.Bench).</summary>
    public int PullBatchSize { get; init; } = 1000;

    public int UploadBatchSize { get; init; } = 100;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Follow the server's live change stream once caught up; off, every head-advanced push is answered by a pull.</summary>
    public bool LiveStream { get; init; } = true;

    /// <summary>A pull even without a push, in case a push was lost.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one hub call may take before the connection is considered broken.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Status warns when the last successful sync is older than this.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(5);

    public string ClientName { get; init; } = "cortexd/1.0";
}
