using System.Data;
using System.Text.Json;
using Cortex.CoreServer.Errors;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Artifacts;

/// <summary>One piece of evidence an artifact version or draft cites: a thread, observation or attachment id, or a URL.</summary>
public sealed record EvidenceLink(string Kind, string Target)
{
    public const string Thread = "thread";
    public const string Observation = "observation";
    public const string Attachment = "attachment";
    public const string Url = "url";

    public static IReadOnlyList<string> Kinds { get; } = [Thread, Observation, Attachment, Url];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(IReadOnlyList<EvidenceLink> links) => JsonSerializer.Serialize(links, Json);

    /// <summary>
    /// Checks the shape of every link, then that every cited thread, observation and attachment exists (400 naming the
    /// offending <c>evidence[i]</c>). Existence is checked when the link is written, not again at canon time.
    /// </summary>
    public static async Task<EvidenceLink[]> ValidateAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<EvidenceLink>? links, CancellationToken cancellationToken = default)
    {
        if (links is null || links.Count == 0)
        {
            return [];
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (link is null || !Kinds.Contains(link.Kind) || string.IsNullOrWhiteSpace(link.Target) || link.Target.Length > 2_000)
            {
                errors[$"evidence[{i}]"] = [$"Must be {{kind, target}} with kind one of: {string.Join(", ", Kinds)}."];
            }
            else if (link.Kind == Url && !(Uri.TryCreate(link.Target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                errors[$"evidence[{i}]"] = ["A url target must be an absolute http or https URL."];
            }
        }

        if (errors.Count == 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            for (var i = 0; i < links.Count; i++)
            {
                var table = links[i].Kind switch
                {
                    Thread => "threads",
                    Observation => "observations",
                    Attachment => "attachments",
                    _ => null,
                };
                if (table is not null && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                        $"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = @id)", new { id = links[i].Target }, cancellationToken: cancellationToken)))
                {
                    errors[$"evidence[{i}]"] = [$"No {links[i].Kind} has the id '{links[i].Target}'."];
                }
            }
        }

        return errors.Count == 0 ? [.. links] : throw CortexException.Invalid(errors);
    }

    /// <summary>Reads jsonb evidence columns into <see cref="EvidenceLink"/> arrays.</summary>
    internal sealed class TypeHandler : SqlMapper.TypeHandler<EvidenceLink[]>
    {
        public override EvidenceLink[] Parse(object value) =>
            JsonSerializer.Deserialize<EvidenceLink[]>((string)value, Json) ?? [];

        public override void SetValue(IDbDataParameter parameter, EvidenceLink[]? value)
        {
            parameter.Value = ToJson(value ?? []);
            if (parameter is NpgsqlParameter npgsql)
            {
                npgsql.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb;
            }
        }
    }
}
