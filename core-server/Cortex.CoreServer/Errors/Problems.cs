using Microsoft.AspNetCore.Mvc;

namespace Cortex.CoreServer.Errors;

internal static class Problems
{
    public static async Task WriteAsync(
        HttpContext context,
        ProblemKind kind,
        string detail,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors.ToDictionary(pair => pair.Key, pair => pair.Value));
        problem.Type = kind.Type;
        problem.Title = kind.Title;
        problem.Status = kind.Status;
        problem.Detail = detail;
        problem.Instance = context.Request.Path;

        context.Response.StatusCode = kind.Status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>Gives every problem a stable Cortex type, including the ones ASP.NET Core writes itself (404, 405…).</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (problem.Type is null || !problem.Type.StartsWith("urn:cortex:problem:", StringComparison.Ordinal))
        {
            var kind = ProblemKind.ForStatus(status);
            problem.Type = kind.Type;
            problem.Title = kind.Title;
        }

        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.Remove("exception");
    }
}
