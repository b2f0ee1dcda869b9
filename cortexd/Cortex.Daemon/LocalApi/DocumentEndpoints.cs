using Cortex.Daemon.Sync;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// Document bodies on the loopback API: read one (<c>GET /v1/documents/{id}</c>) and edit one
/// (<c>POST /v1/documents/{id}/edits</c> with <c>{"index", "deleteCount", "insert"}</c> or <c>{"text"}</c>). Edits
/// land in the replica at once and reach the server when connected; ids are as in <see cref="DocumentIds"/>.
/// </summary>
internal static class DocumentEndpoints
{
    public static RouteGroupBuilder MapDocumentApi(this RouteGroupBuilder api, DaemonContext context)
    {
        api.MapGet("/documents/{id}", async Task<Results<Ok<DocumentView>, ProblemHttpResult>> (string id, DocumentSync documents, CancellationToken cancellationToken) =>
        {
            try
            {
                return TypedResults.Ok(await documents.OpenAsync(id, cancellationToken));
            }
            catch (DocumentSyncException exception)
            {
                return Problem(exception);
            }
        });
        api.MapPost("/documents/{id}/edits", async Task<Results<Ok<DocumentView>, ProblemHttpResult>> (
            string id, DocumentEdit edit, DocumentSync documents, CancellationToken cancellationToken) =>
        {
            if (edit.Text is null && edit.Insert is null && edit.DeleteCount is null)
            {
                return TypedResults.Problem(statusCode: 400, type: "urn:cortex:problem:validation",
                    title: "An edit needs 'text', or 'index' with 'deleteCount' and/or 'insert'.");
            }

            try
            {
                return TypedResults.Ok(await documents.EditAsync(id, edit, context.Scanner, cancellationToken));
            }
            catch (DocumentSyncException exception)
            {
                return Problem(exception);
            }
        });
        return api;
    }

    private static ProblemHttpResult Problem(DocumentSyncException exception) => TypedResults.Problem(
        statusCode: exception.Code switch
        {
            DocumentErrors.NotFound => 404,
            DocumentErrors.Forbidden => 403,
            "document_not_held" => 503,
            DocumentErrors.SecretDetected or DocumentErrors.BodyTooLong or "edit_out_of_range" => 422,
            _ => 409,
        },
        type: "urn:cortex:problem:" + exception.Code.Replace('_', '-'),
        title: exception.Message);
}
