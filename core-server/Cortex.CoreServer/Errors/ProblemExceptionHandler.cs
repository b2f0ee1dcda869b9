using Cortex.CoreServer.Audit;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Cortex.CoreServer.Errors;

/// <summary>Turns exceptions into problem responses. Expected failures keep their kind; anything else is a 500 without details.</summary>
internal sealed class ProblemExceptionHandler(AuditLog audit, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var (kind, detail, errors) = exception switch
        {
            CortexException cortex => (cortex.Kind, cortex.Message, cortex.Errors),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (ProblemKind.PayloadTooLarge, "The request body exceeds the size limit.", null),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                (ProblemKind.UnsupportedMediaType, "Send the body as application/json.", null),
            BadHttpRequestException bad => (ProblemKind.MalformedRequest, MalformedDetail(bad), null),
            PostgresException postgres when SqlErrors.Translate(postgres) is { } translated =>
                (translated.Kind, translated.Message, translated.Errors),
            NpgsqlException { IsTransient: true } => (ProblemKind.Unavailable, "The database is unavailable; retry later.", null),
            _ => (ProblemKind.Internal, "An unexpected error occurred. The trace id identifies it in the server log.", (IReadOnlyDictionary<string, string[]>?)null),
        };

        if (kind == ProblemKind.Internal || kind == ProblemKind.Unavailable)
        {
            Log.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (kind.Status == StatusCodes.Status403Forbidden)
        {
            await audit.RecordDeniedAsync(httpContext, detail, cancellationToken);
        }

        await Problems.WriteAsync(httpContext, kind, detail, errors);
        return true;
    }

    private static string MalformedDetail(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? $"The body is not valid JSON for this request: {json.Message.Split(". Path:", 2)[0]}."
            : exception.Message;
}
