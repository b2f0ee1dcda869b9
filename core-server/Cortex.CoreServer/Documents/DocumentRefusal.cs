using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.CoreServer.Documents;

/// <summary>A refused document call, as the hub's clients see it: "code: detail" (codes in <see cref="DocumentErrors"/>).</summary>
internal static class DocumentRefusal
{
    public static HubException Of(string code, string detail) => new(DocumentErrors.Format(code, detail));
}
