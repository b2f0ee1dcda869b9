using Cortex.CoreServer.Commands;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

var commandLine = CommandLine.Parse(args);
if (commandLine.Command is not (CommandLine.Serve or CommandLine.Migrate or CommandLine.BootstrapAdmin))
{
    await Console.Error.WriteLineAsync(
        $"cortex-server: unknown command '{commandLine.Command}'. Usage: cortex-server [serve] | migrate | bootstrap-admin [--handle h] [--display-name n]");
    return BootstrapAdminCommand.ExitInvalidArguments;
}

var builder = WebApplication.CreateBuilder(commandLine.HostArgs);
if (commandLine.Command != CommandLine.Serve)
{
    // Commands print their result on stdout; keep it machine-readable.
    builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.AddCortexServer();
var app = builder.Build();

try
{
    switch (commandLine.Command)
    {
        case CommandLine.Migrate:
            app.Services.ValidateCortexOptions();
            var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync();
            await Console.Out.WriteLineAsync($"cortex-server: {applied} migration(s) applied; schema at version {Migrator.LatestVersion}.");
            return 0;
        case CommandLine.BootstrapAdmin:
            app.Services.ValidateCortexOptions();
            await app.Services.GetRequiredService<Migrator>().MigrateAsync();
            return await BootstrapAdminCommand.RunAsync(
                app.Services, commandLine.Handle, commandLine.DisplayName, Console.Out, Console.Error);
        default:
            app.UseCortexServer();
            await app.RunAsync();
            return 0;
    }
}
catch (Exception exception) when (exception is OptionsValidationException or MigrationRefusedException)
{
    await Console.Error.WriteLineAsync($"cortex-server: {exception.Message}");
    return 1;
}
