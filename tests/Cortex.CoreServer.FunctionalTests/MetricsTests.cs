using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Observability;
using Cortex.Jobs;
using Cortex.ObjectStore;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// Runs alone: OpenTelemetry listens to every meter named <c>Cortex.CoreServer</c> in this process, so another test
/// class's in-memory server would add to these counters.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>Reads queue sizes on every scrape, so a gauge shows a write at once.</summary>
public sealed class MetricsApp : CortexApp
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Cortex:Metrics:StatsRefreshSeconds"] = "0";
}

[Collection(nameof(MetricsTests))]
public sealed class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>
{
    [Fact]
    public async Task Metrics_answer_admins_only_in_prometheus_text_format()
    {
        using var anonymous = app.Client();
        await Expect.Problem(await anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized, "unauthenticated");
        var member = await app.CreatePrincipalAsync("metrics-auth-member", Role.Member);
        using var memberClient = app.Client(member.Key);
        await Expect.Problem(await memberClient.GetAsync("/metrics"), HttpStatusCode.Forbidden, "forbidden");

        using var admin = app.AdminClient();
        var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE cortex_http_request_duration_seconds histogram", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Writes_are_counted_per_principal_and_requests_per_route_with_latency_and_errors()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "metrics-writes");
        var member = await app.CreatePrincipalAsync("metrics-writer", Role.Member);
        using var writer = app.Client(member.Key);
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            await ThreadsTests.CreateThreadAsync(writer, "metrics-writes", $"Metrics thread {i}");
        }

        await Expect.Status(await writer.GetAsync("/api/v1/threads/no-such-thread"), HttpStatusCode.NotFound);
        var after = await ScrapeAsync();

        Assert.Equal(3, after.Sum("cortex_api_writes_total", ("principal", member.Id)));
        var created = new[] { ("route", "/api/v1/subcortexes/{slug}/threads"), ("method", "POST"), ("status_class", "2xx") };
        Assert.Equal(3, after.Delta(before, "cortex_http_request_duration_seconds_count", created));
        Assert.Equal(3, after.Sum("cortex_http_request_duration_seconds_bucket", [.. created, ("le", "+Inf")])
            - before.Sum("cortex_http_request_duration_seconds_bucket", [.. created, ("le", "+Inf")]));
        Assert.True(after.Sum("cortex_http_request_duration_seconds_sum", created) > before.Sum("cortex_http_request_duration_seconds_sum", created));
        Assert.Equal(1, after.Delta(before, "cortex_http_errors_total", ("route", "/api/v1/threads/{id}"), ("method", "GET"), ("class", "4xx")));
        Assert.Equal(0, after.Delta(before, "cortex_http_errors_total", ("class", "5xx")));
    }

    [Fact]
    public async Task Failed_authentications_are_counted_by_reason()
    {
        var before = await ScrapeAsync();
        using var anonymous = app.Client();
        await Expect.Status(await anonymous.GetAsync("/api/v1/subcortexes"), HttpStatusCode.Unauthorized);
        using var garbled = app.Client("not-a-cortex-key");
        await Expect.Status(await garbled.GetAsync("/api/v1/subcortexes"), HttpStatusCode.Unauthorized);
        await Expect.Status(await garbled.GetAsync("/api/v1/subcortexes"), HttpStatusCode.Unauthorized);
        var after = await ScrapeAsync();

        Assert.Equal(1, after.Delta(before, "cortex_auth_failures_total", ("reason", "missing")));
        Assert.Equal(2, after.Delta(before, "cortex_auth_failures_total", ("reason", "malformed")));
        Assert.Equal(3, after.Delta(before, "cortex_auth_failures_total"));
    }

    [Fact]
    public async Task An_observation_batch_counts_its_observations_and_queues_an_embedding_job()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "metrics-obs");
        using var agent = app.Client((await app.CreatePrincipalAsync("metrics-obs-agent", Role.Agent)).Key);
        var before = await ScrapeAsync();

        await ObservationsTests.PostBatchAsync(agent, Enumerable.Range(0, 4).Select(i => ObservationsTests.Item($"metrics-{i}", "metrics-obs")));
        var afterFirst = await ScrapeAsync();
        await ObservationsTests.PostBatchAsync(agent, Enumerable.Range(0, 4).Select(i => ObservationsTests.Item($"metrics-{i}", "metrics-obs")));
        var afterReplay = await ScrapeAsync();

        Assert.Equal(4, afterFirst.Delta(before, "cortex_observations_ingested_total"));
        Assert.Equal(1, afterFirst.Delta(before, "cortex_jobs_depth", ("kind", "search.embed")));
        Assert.Equal(0, afterReplay.Delta(afterFirst, "cortex_observations_ingested_total"));
        Assert.Equal(0, afterReplay.Delta(afterFirst, "cortex_jobs_depth", ("kind", "search.embed")));
        Assert.Equal(0, afterReplay.Sum("cortex_jobs_dead", ("kind", "search.embed")));
    }

    [Fact]
    public async Task A_draft_grows_the_review_queue_and_its_approval_shrinks_it_and_records_latency()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "metrics-drafts");
        using var agent = app.Client((await app.CreatePrincipalAsync("metrics-drafts-agent", Role.Agent)).Key);
        using var reviewer = app.Client((await app.CreatePrincipalAsync("metrics-drafts-reviewer", Role.Reviewer)).Key);
        var before = await ScrapeAsync();

        var draft = await Expect.Json(
            await agent.PostAsJsonAsync("/api/v1/subcortexes/metrics-drafts/threads", new { title = "Metrics draft", body = "Pending." }),
            HttpStatusCode.Accepted);
        var queued = await ScrapeAsync();
        await Expect.Status(await reviewer.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        var approved = await ScrapeAsync();

        Assert.Equal(1, queued.Delta(before, "cortex_drafts_pending"));
        Assert.Equal(0, queued.Delta(before, "cortex_drafts_approval_latency_seconds_count"));
        Assert.Equal(-1, approved.Delta(queued, "cortex_drafts_pending"));
        Assert.Equal(1, approved.Delta(queued, "cortex_drafts_approval_latency_seconds_count"));
        Assert.Equal(1, approved.Delta(queued, "cortex_drafts_approval_latency_seconds_bucket", ("le", "+Inf")));
    }

    [Fact]
    public async Task Sidecar_heartbeats_show_as_lag_and_backlog_per_replica_until_they_stop_coming()
    {
        var sync = app.Services.GetRequiredService<SyncMetrics>();
        sync.Heartbeat("replica-metrics-a", TimeSpan.FromSeconds(12.5), 7);
        app.Time.Advance(TimeSpan.FromMinutes(9));
        sync.Heartbeat("replica-metrics-b", TimeSpan.FromSeconds(1), 0);
        var reported = await ScrapeAsync();
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var aGoneQuiet = await ScrapeAsync();

        Assert.Equal(12.5, reported.Sum("cortex_sync_lag_seconds", ("replica", "replica-metrics-a")));
        Assert.Equal(7, reported.Sum("cortex_sync_backlog", ("replica", "replica-metrics-a")));
        Assert.Equal(1, reported.Sum("cortex_sync_lag_seconds", ("replica", "replica-metrics-b")));
        Assert.False(aGoneQuiet.Has("cortex_sync_backlog", ("replica", "replica-metrics-a")));
        Assert.False(aGoneQuiet.Has("cortex_sync_lag_seconds", ("replica", "replica-metrics-a")));
        Assert.True(aGoneQuiet.Has("cortex_sync_backlog", ("replica", "replica-metrics-b")));
    }

    [Fact]
    public async Task Object_store_failures_are_counted_by_operation_and_kind()
    {
        var store = app.Services.GetRequiredService<IObjectStore>();
        var before = await ScrapeAsync();
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.StatAsync("metrics/missing"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("metrics/missing"));
        var after = await ScrapeAsync();

        Assert.Equal(1, after.Delta(before, "cortex_objectstore_errors_total", ("operation", "stat"), ("kind", "not_found")));
        Assert.Equal(1, after.Delta(before, "cortex_objectstore_errors_total", ("operation", "read"), ("kind", "not_found")));
        Assert.Equal("permission_denied", MeteredObjectStore.Kind(new UnauthorizedAccessException()));
        Assert.Null(MeteredObjectStore.Kind(new OperationCanceledException()));
    }

    [Fact]
    public async Task A_failing_job_shows_as_retrying_and_as_dead_once_its_retries_are_exhausted()
    {
        const string Kind = "metrics.always-fails";
        var queue = app.Services.GetRequiredService<JobQueue>();
        var job = await queue.EnqueueAsync(new EnqueueRequest(Kind) { MaxAttempts = 2 });
        var queued = await ScrapeAsync();

        var first = Assert.Single(await queue.DequeueAsync("metrics-worker", [Kind], 1, TimeSpan.FromMinutes(1)));
        Assert.Equal(JobState.Failed, await queue.FailAsync(first, "handler threw", TimeSpan.Zero));
        var retrying = await ScrapeAsync();
        var second = Assert.Single(await queue.DequeueAsync("metrics-worker", [Kind], 1, TimeSpan.FromMinutes(1)));
        Assert.Equal(job.JobId, second.JobId);
        Assert.Equal(JobState.Dead, await queue.FailAsync(second, "handler threw again", TimeSpan.Zero));
        var dead = await ScrapeAsync();

        Assert.Equal(1, queued.Sum("cortex_jobs_depth", ("kind", Kind)));
        Assert.Equal(0, queued.Sum("cortex_jobs_retrying", ("kind", Kind)));
        Assert.Equal(1, retrying.Sum("cortex_jobs_retrying", ("kind", Kind)));
        Assert.Equal(0, retrying.Sum("cortex_jobs_dead", ("kind", Kind)));
        Assert.Equal(0, dead.Sum("cortex_jobs_retrying", ("kind", Kind)));
        Assert.Equal(1, dead.Sum("cortex_jobs_dead", ("kind", Kind)));
        Assert.Equal(0, dead.Sum("cortex_jobs_depth", ("kind", Kind)));
    }

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var rules = Path.Combine(RepositoryRoot(), "deploy", "prometheus");
        var check = await PromtoolAsync(rules, "check", "rules", "cortex-alerts.yml");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 6 rules found", check.Output, StringComparison.Ordinal);
        var test = await PromtoolAsync(rules, "test", "rules", "cortex-alerts.test.yml");
        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("SUCCESS", test.Output, StringComparison.Ordinal);
    }

    private async Task<Scrape> ScrapeAsync()
    {
        using var admin = app.AdminClient();
        return await Scrape.FromAsync(admin);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cortex.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cortex.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                "promtool is not installed: install Debian's 'prometheus' package (apt-get install prometheus).", exception);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
