using Cortex.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddCortexWorker();
using var host = builder.Build();
await host.RunAsync();
