using System.Globalization;
using Cortex.CoreServer.Errors;
using Microsoft.Net.Http.Headers;

namespace Cortex.CoreServer.Apis;

/// <summary>
/// Optimistic concurrency: updates name the version they were based on, in <c>If-Match: "n"</c> or a <c>version</c>
/// field. Missing → 428; stale If-Match → 412; stale version field → 409.
/// </summary>
internal readonly record struct ExpectedVersion(long Version, bool FromIfMatch)
{
    public static ExpectedVersion From(HttpContext context, long? bodyVersion)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return bodyVersion is { } version
                ? new ExpectedVersion(version, FromIfMatch: false)
                : throw new CortexException(ProblemKind.PreconditionRequired, "Send If-Match: \"<version>\" or a version field.");
        }

        if (!EntityTagHeaderValue.TryParse(ifMatch, out var tag) || tag.IsWeak
            || !long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader))
        {
            throw CortexException.Invalid("If-Match", "Must be a single strong entity tag as returned in ETag, e.g. \"3\".");
        }

        if (bodyVersion is { } other && other != fromHeader)
        {
            throw CortexException.Invalid("version", "Disagrees with the If-Match header.");
        }

        return new ExpectedVersion(fromHeader, FromIfMatch: true);
    }

    public void Check(long actual, string what)
    {
        if (actual != Version)
        {
            throw Stale(actual, what);
        }
    }

    public CortexException Stale(long actual, string what) => new(
        FromIfMatch ? ProblemKind.PreconditionFailed : ProblemKind.VersionConflict,
        $"The {what} is at version {actual}, not {Version}; reload it and apply your change again.");

    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
