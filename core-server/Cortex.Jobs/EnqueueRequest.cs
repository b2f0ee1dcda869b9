using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cortex.Jobs;

/// <summary>A job to enqueue.</summary>
public sealed partial record EnqueueRequest
{
    public const int DefaultMaxAttempts = 5;

    public EnqueueRequest(string kind, JsonElement payload = default)
    {
        if (string.IsNullOrEmpty(kind) || !KindPattern().IsMatch(kind))
        {
            throw new ArgumentException(
                $"'{kind}' is not a job kind: use lower-case letters, digits, '.', '_' and '-' (e.g. 'search.embed').",
                nameof(kind));
        }

        Kind = kind;
        Payload = payload;
    }

    /// <summary>Which <see cref="IJobHandler"/> runs the job, e.g. <c>search.embed</c>.</summary>
    public string Kind { get; }

    /// <summary>Any JSON value; an undefined element is stored as <c>{}</c>.</summary>
    public JsonElement Payload { get; }

    /// <summary>When set, enqueueing is a no-op while an unfinished job of the same kind has this key.</summary>
    public string? DedupKey { get; init; }

    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one attempt.");
    } = DefaultMaxAttempts;

    /// <summary>Not before this time; null means now (by the database clock).</summary>
    public DateTimeOffset? RunAfter { get; init; }

    internal string PayloadJson => Payload.ValueKind == JsonValueKind.Undefined ? "{}" : Payload.GetRawText();

    /// <summary>A request whose payload is <paramref name="payload"/> serialized with <see cref="JobJson.Options"/>.</summary>
    public static EnqueueRequest Create<TPayload>(string kind, TPayload payload) =>
        new(kind, JsonSerializer.SerializeToElement(payload, JobJson.Options));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,199}$")]
    private static partial Regex KindPattern();
}
