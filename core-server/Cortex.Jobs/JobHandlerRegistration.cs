namespace Cortex.Jobs;

/// <summary>One registered <see cref="IJobHandler"/> type; see <c>AddJobHandler&lt;T&gt;</c>.</summary>
public sealed record JobHandlerRegistration(Type HandlerType);
