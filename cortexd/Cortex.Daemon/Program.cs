using Cortex.Daemon.Commands;

return await CortexCommandLine.InvokeAsync(args, Console.Out, Console.Error);
