namespace Cortex.Worker.Summaries;

/// <summary>
/// The payload of <c>summaries.thread</c> (a thread id) and <c>summaries.digest</c> (a subcortex id) jobs;
/// <paramref name="Force"/> (an admin rebuild) recomputes even what looks current.
/// </summary>
public sealed record SummaryPayload(string Id, bool Force = false);
