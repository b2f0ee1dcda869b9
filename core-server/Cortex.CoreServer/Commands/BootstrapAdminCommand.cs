using System.Text.Json;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Principals;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Dapper;

namespace Cortex.CoreServer.Commands;

/// <summary>
/// <c>cortex-server bootstrap-admin [--handle admin] [--display-name …]</c>: on an empty principals table, creates the
/// first admin and a key and prints <c>{"principalId":…,"handle":…,"key":…}</c>. Otherwise writes nothing, exit 3.
/// </summary>
internal static class BootstrapAdminCommand
{
    public const int ExitAlreadyBootstrapped = 3;
    public const int ExitInvalidArguments = 2;

    public static async Task<int> RunAsync(
        IServiceProvider services,
        string handle,
        string displayName,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireHandle("--handle", handle);
        errors.RequireLine("--display-name", displayName, Rules.NameMaxLength);
        if (!errors.IsValid)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                await stderr.WriteLineAsync($"cortex-server bootstrap-admin: {field}: {string.Join(" ", messages)}");
            }

            return ExitInvalidArguments;
        }

        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<WriteSession>();
        await session.BeginAsync(cancellationToken);

        // Two concurrent bootstraps must not both see an empty table.
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "LOCK TABLE principals IN EXCLUSIVE MODE", transaction: session.Transaction, cancellationToken: cancellationToken));
        var exists = await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM principals)", transaction: session.Transaction, cancellationToken: cancellationToken));
        if (exists)
        {
            await session.RollbackAsync();
            await stderr.WriteLineAsync(
                "cortex-server bootstrap-admin: principals already exist, nothing was created; use an admin key to add principals and keys.");
            return ExitAlreadyBootstrapped;
        }

        var admin = await PrincipalStore.InsertAsync(session, handle, displayName, PrincipalKind.Human, Role.Admin, cancellationToken);
        var created = await KeyStore.InsertAsync(session, admin.Id, "bootstrap", null, cancellationToken);
        var actor = Actor.Command("bootstrap-admin");
        session.Record(new PendingChange(EntityNames.Principal, admin.Id, ChangeOperation.Created, admin.Version, PrincipalId: admin.Id));
        session.Record(new PendingChange(EntityNames.ApiKey, created.ApiKey.Id, ChangeOperation.Created, 1, PrincipalId: admin.Id));
        session.Audit(new AuditEntry("principal.bootstrap", AuditOutcome.Succeeded, actor, EntityNames.Principal, admin.Id));
        session.Audit(new AuditEntry("key.create", AuditOutcome.Succeeded, actor, EntityNames.ApiKey, created.ApiKey.Id));
        await session.CommitAsync(cancellationToken);

        Log.AdminBootstrapped(scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Cortex.Bootstrap"), admin.Id, admin.Handle);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { principalId = admin.Id, handle = admin.Handle, key = created.Key }));
        return 0;
    }
}
