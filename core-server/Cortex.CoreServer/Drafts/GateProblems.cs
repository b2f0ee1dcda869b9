using Cortex.CoreServer.Errors;

namespace Cortex.CoreServer.Drafts;

/// <summary>The problem kinds of the draft and canon gates; clients switch on their stable types.</summary>
internal static class GateProblems
{
    public static readonly ProblemKind SelfReview = new("self-review", "The author of content never reviews it.", 403);
    public static readonly ProblemKind AlreadyDecided = new("draft-already-decided", "The draft was already decided otherwise.", 409);
    public static readonly ProblemKind EvidenceMissing = new("canon-evidence-missing", "The version lacks the evidence its template requires.", 422);
    public static readonly ProblemKind SectionsMissing = new("template-sections-missing", "The text lacks sections its template requires.", 422);
    public static readonly ProblemKind SecretFound = new("canon-secret-found", "The version contains what looks like a secret.", 422);
    public static readonly ProblemKind NotActive = new("not-active", "The target no longer takes changes.", 409);
}
