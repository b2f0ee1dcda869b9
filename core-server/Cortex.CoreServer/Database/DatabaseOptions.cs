using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Database;

public sealed class DatabaseOptions
{
    public const string Section = "Cortex:Database";

    /// <summary>The Npgsql connection string (<c>Cortex:Database:ConnectionString</c>, env <c>Cortex__Database__ConnectionString</c>).</summary>
    [Required(ErrorMessage = "Cortex:Database:ConnectionString is required (env Cortex__Database__ConnectionString).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Versions of applied migrations whose edited script is accepted as harmless (comma-separated, e.g. <c>199,300</c>):
    /// the new checksum is recorded and the start goes on. Without it an edited applied migration stops the start.
    /// </summary>
    public string AcceptEditedMigrations { get; set; } = "";
}
