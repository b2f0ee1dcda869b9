using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Validation;

namespace Cortex.CoreServer.Observations;

/// <summary>
/// One observation as sent, checked field by field so that a malformed item is refused alone, with its reasons,
/// instead of failing the whole batch the way a typed JSON binding would.
/// </summary>
internal sealed record ObservationInput(
    string ClientId,
    string Subcortex,
    string Kind,
    string? Source,
    string Text,
    string AttributesJson,
    DateTimeOffset OccurredAt,
    bool OccurredAtGiven,
    string[] AttachmentIds)
{
    public const int ClientIdMaxLength = 200;
    public const int KindMaxLength = 100;
    public const int SourceMaxLength = 300;
    public const int TextMaxLength = Rules.CommentMaxLength;
    public const int AttributesMaxBytes = 16 * 1024;
    public const int MaxAttachments = 20;

    // UTF-8, compared in place: a batch has tens of thousands of property names, and allocating each was measurable.
    private static readonly byte[][] KnownFields =
        ["clientId"u8.ToArray(), "subcortex"u8.ToArray(), "kind"u8.ToArray(), "source"u8.ToArray(), "text"u8.ToArray(),
         "attributes"u8.ToArray(), "occurredAt"u8.ToArray(), "attachmentIds"u8.ToArray()];

    /// <summary>Reads one item; returns null and fills <paramref name="errors"/> when it is malformed.</summary>
    public static ObservationInput? Parse(JsonElement item, DateTimeOffset now, List<ItemError> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ItemError("", "Each item must be a JSON object."));
            return null;
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!IsKnownField(property))
            {
                errors.Add(new ItemError(property.Name, "Unknown field."));
            }
        }

        var clientId = String(item, "clientId", errors, required: true);
        if (clientId is not null && !IsClientId(clientId))
        {
            errors.Add(new ItemError("clientId", $"Must be 1 to {ClientIdMaxLength} printable ASCII characters without spaces."));
        }

        var subcortex = String(item, "subcortex", errors, required: true);
        if (subcortex is not null && !Rules.IsSlug(subcortex))
        {
            errors.Add(new ItemError("subcortex", "Must be the slug of a subcortex."));
        }

        var kind = String(item, "kind", errors, required: true);
        if (kind is not null && !IsCleanLine(kind, KindMaxLength))
        {
            errors.Add(new ItemError("kind", $"Required: a single line of at most {KindMaxLength} characters without control characters."));
        }

        var source = String(item, "source", errors, required: false);
        if (source is not null && !IsCleanLine(source, SourceMaxLength))
        {
            errors.Add(new ItemError("source", $"Must be a single line of at most {SourceMaxLength} characters without control characters."));
        }

        var text = String(item, "text", errors, required: true);
        if (text is not null && !(Rules.IsText(text, TextMaxLength) && !HasLoneSurrogate(text)))
        {
            errors.Add(new ItemError("text", $"Required: markdown of at most {TextMaxLength} characters without control characters."));
        }

        var attributes = ParseAttributes(item, errors);
        var (occurredAt, occurredAtGiven) = ParseOccurredAt(item, now, errors);
        var attachmentIds = AttachmentIdList(item, errors);
        return errors.Count > 0
            ? null
            : new ObservationInput(clientId!, subcortex!, kind!, source, text!, attributes!, occurredAt, occurredAtGiven, attachmentIds);
    }

    /// <summary>
    /// What "the same item" means for a replay: every field as sent (an omitted occurredAt counts as omitted, not
    /// as the time the server filled in), so a client that retries gets its first answer back.
    /// </summary>
    public byte[] ContentHash()
    {
        var canonical = string.Join(
            '\u001f',
            ClientId,
            Subcortex,
            Kind,
            Source ?? "\u0000",
            Text,
            AttributesJson,
            OccurredAtGiven ? OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture) : "\u0000",
            string.Join(',', AttachmentIds));
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    private static string? String(JsonElement item, string field, List<ItemError> errors, bool required)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new ItemError(field, "Required."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ItemError(field, "Must be a string."));
            return null;
        }

        return value.GetString();
    }

    private static string? ParseAttributes(JsonElement item, List<ItemError> errors)
    {
        if (!item.TryGetProperty("attributes", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "{}";
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ItemError("attributes", "Must be a JSON object."));
            return null;
        }

        // Compact re-serialization: the stored form, and the canonical form for replay detection.
        var json = JsonSerializer.Serialize(value);
        if (Encoding.UTF8.GetByteCount(json) > AttributesMaxBytes)
        {
            errors.Add(new ItemError("attributes", $"Must be at most {AttributesMaxBytes} bytes of JSON."));
            return null;
        }

        // Postgres jsonb cannot hold NUL characters; refuse them here rather than failing the batch.
        if (json.Contains("\\u0000", StringComparison.Ordinal) || HasLoneSurrogate(json))
        {
            errors.Add(new ItemError("attributes", "Must not contain NUL characters or unpaired surrogates."));
            return null;
        }

        return json;
    }

    private static (DateTimeOffset Value, bool Given) ParseOccurredAt(JsonElement item, DateTimeOffset now, List<ItemError> errors)
    {
        if (!item.TryGetProperty("occurredAt", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (now, false);
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && HasOffset(text)
            && value.TryGetDateTimeOffset(out var parsed))
        {
            return (parsed, true);
        }

        errors.Add(new ItemError("occurredAt", "Must be an RFC 3339 date-time with a time zone, e.g. 2026-01-01T12:00:00Z."));
        return (now, true);
    }

    private static string[] AttachmentIdList(JsonElement item, List<ItemError> errors)
    {
        if (!item.TryGetProperty("attachmentIds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ItemError("attachmentIds", "Must be an array of attachment ids."));
            return [];
        }

        if (value.GetArrayLength() > MaxAttachments)
        {
            errors.Add(new ItemError("attachmentIds", $"At most {MaxAttachments} attachments per observation."));
            return [];
        }

        var ids = new List<string>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var id = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            if (!CortexId.IsValid(id))
            {
                errors.Add(new ItemError($"attachmentIds[{index}]", "Must be an attachment id."));
            }
            else if (ids.Contains(id!))
            {
                errors.Add(new ItemError($"attachmentIds[{index}]", "Listed twice."));
            }
            else
            {
                ids.Add(id!);
            }

            index++;
        }

        return [.. ids];
    }

    private static bool IsKnownField(JsonProperty property)
    {
        foreach (var field in KnownFields)
        {
            if (property.NameEquals(field))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsClientId(string value) =>
        value.Length is > 0 and <= ClientIdMaxLength && value.All(c => c is >= '!' and <= '~');

    private static bool IsCleanLine(string value, int maxLength) => Rules.IsLine(value, maxLength) && !HasLoneSurrogate(value);

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
