using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker;

/// <summary>Settings under <c>Cortex:Database</c> (env <c>Cortex__Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Cortex:Database";

    public string? ConnectionString { get; set; }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.SectionName}:ConnectionString must be set (env Cortex__Database__ConnectionString).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.SectionName}:ConnectionString is not a Postgres connection string: {e.Message}");
        }
    }
}
