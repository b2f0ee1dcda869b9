using System.ComponentModel;
using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Search;
using Cortex.Daemon.Workspace;
using Cortex.SyncProtocol;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Cortex.Daemon.Mcp;

/// <summary>
/// The MCP tools of cortexd. Reads come from the replica (online or not); writes are redacted, queued in the outbox
/// and answered with their verdict when the server gives it within a few seconds, else as pending. Every failure is
/// an MCP tool error (<see cref="McpException"/>) whose message says what to change.
/// </summary>
[McpServerToolType]
internal sealed class CortexTools(WorkspaceSearch search, WorkspaceReads reads, IWorkspaceWriter writer, McpWriteOptions writeOptions)
{
    [McpServerTool(Name = "search", Title = "Search Cortex", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Hybrid (keyword + semantic) search over the workspace's Cortex replica, canon first among near-ties. Works offline. Results are citable: id, kind, title, snippet, trust, subcortex, updated, pending.")]
    public SearchResult Search(
        [Description("What to look for: a question, words, an error code or a flag.")] string query,
        [Description("Only these subcortexes (slugs).")] string[]? subcortex = null,
        [Description("Only these kinds: thread, comment, observation, artifact, draft, task.")] string[]? kind = null,
        [Description("Only these trust levels: canon, accepted, reviewed, comment, observation, draft.")] string[]? trust = null,
        [Description("Only items updated at or after this RFC 3339 time.")] DateTimeOffset? since = null,
        [Description("Only items updated at or before this RFC 3339 time.")] DateTimeOffset? until = null,
        [Description("How many results, 1 to 100 (default 10).")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var hits = search.Search(new WorkspaceQuery(query, subcortex, kind, trust, since, until, limit), cancellationToken);
            return new SearchResult(query, hits.Count, hits);
        }
        catch (ArgumentException exception)
        {
            throw new McpException(exception.Message);
        }
    }

    [McpServerTool(Name = "get_thread", Title = "Read a thread", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("A thread with its comments, from the replica (works offline); the workspace's queued comments show as pending.")]
    public ThreadView GetThread([Description("The thread's id.")] string id) =>
        reads.GetThread(id) ?? throw new McpException($"the replica holds no thread '{id}' (not synced yet, not readable by this workspace's key, or no such thread)");

    [McpServerTool(Name = "get_artifact", Title = "Read an artifact", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("An artifact (runbook, decision, spec) with its versions; the body is the canon version's unless a version is asked for.")]
    public ArtifactView GetArtifact(
        [Description("The artifact's id.")] string id,
        [Description("A version number; the canon version (else the latest) when left out.")] int? version = null) =>
        reads.GetArtifact(id, version)
        ?? throw new McpException(version is null
            ? $"the replica holds no artifact '{id}'"
            : $"the replica holds no version {version} of artifact '{id}'");

    [McpServerTool(Name = "list_subcortexes", Title = "List subcortexes", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("The subcortexes (topical spaces) this workspace can read, with how many searchable items each holds.")]
    public SubcortexList ListSubcortexes() => reads.ListSubcortexes();

    [McpServerTool(Name = "recent_activity", Title = "Recent activity", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("The most recently updated threads, comments, observations, artifacts, drafts and tasks, newest first.")]
    public ActivityList RecentActivity(
        [Description("Only this subcortex (slug).")] string? subcortex = null,
        [Description("Only items updated at or after this RFC 3339 time.")] DateTimeOffset? since = null,
        [Description("How many items, 1 to 100 (default 20).")] int limit = 20)
    {
        if (limit is < 1 or > 100)
        {
            throw new McpException($"the limit must be from 1 to 100, not {limit}");
        }

        return reads.RecentActivity(subcortex, since, limit);
    }

    [McpServerTool(Name = "list_tasks", Title = "List tasks", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Tasks from the replica, soonest due first.")]
    public TaskList ListTasks(
        [Description("Only this state: open, inProgress, blocked, done, cancelled.")] string? state = null,
        [Description("Only tasks assigned to this workspace's principal.")] bool assignedToMe = false)
    {
        if (state is not (null or "open" or "inProgress" or "blocked" or "done" or "cancelled"))
        {
            throw new McpException($"'{state}' is not a task state; use open, inProgress, blocked, done or cancelled");
        }

        var me = assignedToMe ? reads.PrincipalId() ?? throw new McpException("this replica has not synced yet, so it does not know who 'me' is") : null;
        return reads.ListTasks(state, me);
    }

    [McpServerTool(Name = "sync_status", Title = "Sync status", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Whether cortexd is connected, how far behind the replica is, the outbox depth, rejected writes and redacted secrets.")]
    public async Task<SyncStatusResult> SyncStatus(CancellationToken cancellationToken = default) =>
        new(await Call(() => writer.StatusAsync(cancellationToken)));

    [McpServerTool(Name = "create_observation", Title = "Record an observation", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Records a small fact or event (a test failure, a finding, a measurement). Secrets are redacted before it is queued; it reaches the server when connected. Text attachments from local files are appended to the text.")]
    public async Task<WriteResult> CreateObservation(
        [Description("The subcortex's slug.")] string subcortex,
        [Description("What kind of observation, e.g. test.failure, build.error, finding.")] string kind,
        [Description("The observation, markdown.")] string text,
        [Description("Where it came from, e.g. a tool or a file.")] string? source = null,
        [Description("Paths of local text files to attach (at most 5, 256 KiB each).")] string[]? attachments = null,
        CancellationToken cancellationToken = default)
    {
        var fullText = text + LocalAttachments.Render(attachments, writeOptions.WorkingDirectory);
        var payload = JsonSerializer.SerializeToElement(new { kind, text = fullText, source }, LocalApiJson.Options);
        return await WriteAsync(new WriteRequest(MutationKinds.CreateObservation, "subcortex", subcortex, payload), cancellationToken);
    }

    [McpServerTool(Name = "create_draft", Title = "Propose a draft", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Proposes content for human review: a new thread (subcortex, title, body), a comment (threadId, body) or a new version of an artifact (artifactId, body), with evidence links. Secrets are redacted before it is queued.")]
    public async Task<WriteResult> CreateDraft(
        [Description("thread, comment or artifactVersion.")] string kind,
        [Description("The proposed text, markdown.")] string body,
        [Description("For a thread: the subcortex's slug.")] string? subcortex = null,
        [Description("For a thread: its title.")] string? title = null,
        [Description("For a thread: discussion, question, incident, decision or announcement.")] string? threadKind = null,
        [Description("For a comment: the thread's id.")] string? threadId = null,
        [Description("For an artifact version: the artifact's id.")] string? artifactId = null,
        [Description("Evidence: thread, observation or attachment ids, or http(s) URLs.")] EvidenceInput[]? evidence = null,
        CancellationToken cancellationToken = default)
    {
        var links = evidence?.Select(e => new { kind = e.Kind, target = e.Target }).ToArray() ?? [];
        WriteRequest request = kind switch
        {
            "thread" when subcortex is null || title is null => throw new McpException("a thread draft needs subcortex and title"),
            "thread" => new(MutationKinds.CreateDraft, "subcortex", subcortex,
                JsonSerializer.SerializeToElement(new { kind, subcortex, title, threadKind = threadKind ?? "discussion", body, evidence = links }, LocalApiJson.Options)),
            "comment" when threadId is null => throw new McpException("a comment draft needs threadId"),
            "comment" => new(MutationKinds.CreateDraft, "thread", threadId,
                JsonSerializer.SerializeToElement(new { kind, threadId, body, evidence = links }, LocalApiJson.Options)),
            "artifactVersion" when artifactId is null => throw new McpException("an artifact version draft needs artifactId"),
            "artifactVersion" => new(MutationKinds.CreateArtifactVersion, "artifact", artifactId,
                JsonSerializer.SerializeToElement(new { body, evidence = links }, LocalApiJson.Options)),
            _ => throw new McpException($"'{kind}' is not a draft kind; use thread, comment or artifactVersion"),
        };
        return await WriteAsync(request, cancellationToken);
    }

    [McpServerTool(Name = "update_task", Title = "Update a task", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Changes a task's state, assignee, title, description or due time, against the version in the replica (a concurrent change is rejected as a version conflict).")]
    public async Task<WriteResult> UpdateTask(
        [Description("The task's id.")] string id,
        [Description("open, inProgress, blocked, done or cancelled.")] string? state = null,
        [Description("The principal to assign it to.")] string? assigneeId = null,
        [Description("A new title.")] string? title = null,
        [Description("A new description.")] string? description = null,
        [Description("A new due time, RFC 3339.")] string? dueAt = null,
        CancellationToken cancellationToken = default)
    {
        var task = reads.GetTask(id) ?? throw new McpException($"the replica holds no task '{id}'");
        if (state is not (null or "open" or "inProgress" or "blocked" or "done" or "cancelled"))
        {
            throw new McpException($"'{state}' is not a task state; use open, inProgress, blocked, done or cancelled");
        }

        var payload = JsonSerializer.SerializeToElement(new { title, description, state, assigneeId, dueAt }, LocalApiJson.Options);
        return await WriteAsync(new WriteRequest(MutationKinds.UpdateTask, "task", id, payload, task.Version), cancellationToken);
    }

    private async Task<WriteResult> WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        var queued = await Call(() => writer.EnqueueAsync(request, cancellationToken));
        var redacted = queued.Redacted ?? new Dictionary<string, int>();
        var deadline = DateTimeOffset.UtcNow + writeOptions.VerdictWait;
        var connected = writeOptions.VerdictWait > TimeSpan.Zero
            && (await Call(() => writer.StatusAsync(cancellationToken))).TryGetProperty("connected", out var c) && c.ValueKind == JsonValueKind.True;
        while (connected && !queued.Decided && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            queued = await Call(() => writer.FindAsync(queued.ClientId, cancellationToken)) ?? queued;
        }

        var note = queued.State switch
        {
            "accepted" => "accepted by the server",
            "draft" => "turned into a draft for human review",
            "rejected" => $"rejected by the server: {queued.ReasonCode} {queued.Message}".TrimEnd(),
            _ when connected => "queued; the server has not answered yet ('sync_status' shows its verdict later)",
            _ => "queued offline; it is uploaded when cortexd is connected",
        };
        return new WriteResult(queued.ClientId, queued.State, !queued.Decided, queued.EntityId, queued.DraftId, queued.ReasonCode, queued.Message,
            redacted, redacted.Count == 0 ? note : $"{note}; {redacted.Values.Sum()} secret(s) redacted before queueing");
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is WorkspaceException or HttpRequestException or IOException)
        {
            throw new McpException(exception.Message.ReplaceLineEndings(" "));
        }
    }
}

/// <summary>One piece of evidence: <c>kind</c> thread, observation, attachment or url, and its id or URL.</summary>
internal sealed record EvidenceInput(
    [property: Description("thread, observation, attachment or url.")] string Kind,
    [property: Description("The id, or the URL.")] string Target);

/// <summary>How writes behave in this process: how long to wait for the server's verdict, where relative paths start.</summary>
internal sealed record McpWriteOptions(TimeSpan VerdictWait, string WorkingDirectory);
