using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Dapper;
using Microsoft.Net.Http.Headers;

namespace Cortex.CoreServer.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST. The key row is inserted in the request's own write transaction before the endpoint
/// runs, and the response is stored in it before COMMIT, so the write and its recorded answer commit together.
/// A concurrent duplicate blocks on the unique key until the first commits, then replays its answer; if the first
/// fails (non-2xx or exception) its transaction rolls back and the key stays free. Same key, other request → 422.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string HeaderName = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, WriteSession session)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || context.Features.Get<AuthenticatedPrincipal>() is not { } authenticated
            || context.GetEndpoint()?.Metadata.GetMetadata<OwnIdempotencyMetadata>() is not null)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (!RequestFingerprint.IsValidKey(key))
        {
            throw CortexException.Invalid(HeaderName, $"Must be 1 to {RequestFingerprint.MaxKeyLength} printable ASCII characters.");
        }

        var cancellationToken = context.RequestAborted;
        // Buffer the body (in memory up to 64 KiB, then in a temporary file) so it can be hashed and then read again.
        context.Request.EnableBuffering(bufferThreshold: 64 * 1024);
        var requestHash = await RequestFingerprint.ComputeAsync(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", context.Request.Body, cancellationToken);
        context.Request.Body.Position = 0;
        var principalId = authenticated.Principal.Id;

        await session.BeginAsync(cancellationToken);
        var claimed = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_keys (principal_id, key, request_hash) VALUES (@principalId, @key, @requestHash)
            ON CONFLICT DO NOTHING
            """,
            new { principalId, key, requestHash },
            session.Transaction,
            cancellationToken: cancellationToken));
        if (claimed == 0)
        {
            var stored = await session.Connection.QuerySingleAsync<StoredResponse>(new CommandDefinition(
                """
                SELECT request_hash, status, content_type, location, etag, body
                FROM idempotency_keys WHERE principal_id = @principalId AND key = @key
                """,
                new { principalId, key },
                session.Transaction,
                cancellationToken: cancellationToken));
            await session.RollbackAsync();
            await ReplayAsync(context, stored, requestHash);
            return;
        }

        session.DeferCommit();
        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
            var response = context.Response;
            if (response.StatusCode is >= 200 and < 300)
            {
                await session.Connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE idempotency_keys
                    SET status = @status, content_type = @contentType, location = @location, etag = @etag, body = @body
                    WHERE principal_id = @principalId AND key = @key
                    """,
                    new
                    {
                        principalId,
                        key,
                        status = response.StatusCode,
                        contentType = response.ContentType,
                        location = response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                        etag = response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                        body = captured.ToArray(),
                    },
                    session.Transaction,
                    cancellationToken: cancellationToken));
                await session.CommitNowAsync(cancellationToken);
            }
            else
            {
                await session.RollbackAsync();
            }
        }
        finally
        {
            context.Response.Body = originalBody;
        }

        captured.Position = 0;
        await captured.CopyToAsync(originalBody, cancellationToken);
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored, byte[] requestHash)
    {
        if (!stored.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            throw new CortexException(
                ProblemKind.IdempotencyKeyReused,
                "This Idempotency-Key was first used with a different request; use a new key for a new request.");
        }

        var response = context.Response;
        response.StatusCode = stored.Status ?? StatusCodes.Status200OK;
        response.Headers["Idempotent-Replayed"] = "true";
        if (stored.ContentType is not null)
        {
            response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            response.Headers.Location = stored.Location;
        }

        if (stored.Etag is not null)
        {
            response.Headers[HeaderNames.ETag] = stored.Etag;
        }

        if (stored.Body is { Length: > 0 } body)
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
