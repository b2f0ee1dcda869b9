using Cortex.Crdt.Cli;

return CrdtCli.Run(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
