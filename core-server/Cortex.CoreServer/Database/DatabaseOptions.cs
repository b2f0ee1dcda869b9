using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Database;

public sealed class DatabaseOptions
{
    public const string Section = "Cortex:Database";

    /// <summary>The Npgsql connection string (<c>Cortex:Database:ConnectionString</c>, env <c>Cortex__Database__ConnectionString</c>).</summary>
    [Required(ErrorMessage = "Cortex:Database:ConnectionString is required (env Cortex__Database__ConnectionString).")]
    public string ConnectionString { get; set; } = "";
}
