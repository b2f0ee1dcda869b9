using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Markdown;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// <c>POST /api/v1/markdown/preview</c>: renders markdown exactly as a saved body or comment would be rendered, so the
/// web UI's preview never renders user input itself. Writes nothing.
/// </summary>
internal static class MarkdownPreviewApi
{
    public static RouteGroupBuilder MapMarkdownPreviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/markdown/preview", Preview).RequireAuthorization();
        return api;
    }

    private static Ok<MarkdownPreviewResponse> Preview(HttpContext context, MarkdownRenderer renderer, MarkdownPreviewRequest request)
    {
        context.Principal().Demand(CortexAction.ReadContent, Resource.System);
        var errors = new ValidationErrors();
        errors.RequireText("markdown", request.Markdown ?? "", Rules.BodyMaxLength, allowEmpty: true);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        return TypedResults.Ok(new MarkdownPreviewResponse(renderer.Render(request.Markdown ?? "")));
    }
}
