namespace Cortex.CoreServer.Database;

/// <summary>Enums are stored as their lowercase names (see the CHECK constraints in the migrations).</summary>
internal static class SqlNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static string? Of<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value?.ToString().ToLowerInvariant();
}
