namespace Cortex.Jobs.Tests;

/// <summary>What the in-process runner tests want their handler to do, per test.</summary>
public sealed record HandlerScript(string Kind, Func<JobContext, CancellationToken, Task> Run);

public sealed class ScriptedHandler(HandlerScript script) : IJobHandler
{
    public string Kind => script.Kind;

    public Task HandleAsync(JobContext job, CancellationToken cancellationToken = default) =>
        script.Run(job, cancellationToken);
}
