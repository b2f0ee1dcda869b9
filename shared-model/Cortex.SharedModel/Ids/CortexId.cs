namespace Cortex.SharedModel.Ids;

/// <summary>
/// Ids are ULIDs in their canonical 26-character Crockford base32 form: sortable by creation time,
/// generated on either side of the sync boundary without coordination (the outbox uses them as idempotency keys).
/// </summary>
public static class CortexId
{
    public const int Length = 26;

    public static string New() => Ulid.NewUlid().ToString();

    public static string New(DateTimeOffset timestamp) => Ulid.NewUlid(timestamp).ToString();

    public static bool IsValid(string? value) =>
        value is { Length: Length } && Ulid.TryParse(value, out var parsed) && parsed.ToString() == value;
}
