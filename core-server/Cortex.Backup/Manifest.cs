using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cortex.Backup;

/// <summary>One archive entry as the manifest lists it.</summary>
public sealed record ManifestEntry(string Name, string Sha256, long Size);

/// <summary><c>manifest.json</c>, the archive's last entry: what every other entry must hash to.</summary>
public sealed record Manifest(int FormatVersion, DateTimeOffset CreatedAt, int SchemaVersion, IReadOnlyList<ManifestEntry> Entries)
{
    public const int CurrentFormatVersion = 1;
    public const string EntryName = "manifest.json";
    public const string DatabaseEntry = "database.dump";
    public const string SecretsEntry = "secrets.enc";
    public const string ObjectsPrefix = "objects/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static Manifest Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(utf8, Json)
                   ?? throw new BackupException(ExitCodes.CorruptArchive, "the archive's manifest.json is empty");
        }
        catch (JsonException e)
        {
            throw new BackupException(ExitCodes.CorruptArchive, $"the archive's manifest.json is not valid: {e.Message}", e);
        }
    }
}
