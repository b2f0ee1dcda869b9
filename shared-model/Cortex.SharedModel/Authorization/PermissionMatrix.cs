using Cortex.SharedModel.Principals;

namespace Cortex.SharedModel.Authorization;

/// <summary>
/// The permission matrix as data: one row per action, one column per role. Change a rule here and nowhere else;
/// <see cref="Permissions.May"/> only interprets it.
/// </summary>
public static class PermissionMatrix
{
    private const Grant N = Grant.None;
    private const Grant O = Grant.Own;
    private const Grant A = Grant.Any;

    /// <summary>Columns, in order: admin, reviewer, member, agent, reader.</summary>
    public static IReadOnlyList<Role> Columns { get; } = [Role.Admin, Role.Reviewer, Role.Member, Role.Agent, Role.Reader];

    public static IReadOnlyDictionary<CortexAction, IReadOnlyList<Grant>> Rows { get; } =
        new Dictionary<CortexAction, IReadOnlyList<Grant>>
        {
            //                                          admin reviewer member agent reader
            [CortexAction.ReadContent] = [A, A, A, A, A],
            [CortexAction.Search] = [A, A, A, A, A],
            [CortexAction.ReadChanges] = [A, A, A, A, A],
            [CortexAction.CreateSubcortex] = [A, A, A, N, N],
            [CortexAction.UpdateSubcortex] = [A, A, O, N, N],
            [CortexAction.ArchiveSubcortex] = [A, A, N, N, N],
            [CortexAction.ManageSubcortexMembers] = [A, N, N, N, N],
            [CortexAction.CreateThread] = [A, A, A, A, N],
            [CortexAction.UpdateThread] = [A, A, O, O, N],
            [CortexAction.CreateComment] = [A, A, A, A, N],
            [CortexAction.CreateObservation] = [A, A, A, A, N],
            [CortexAction.UploadAttachment] = [A, A, A, A, N],
            // An attachment not yet linked to a thread or observation is visible to its uploader (and admins) only.
            [CortexAction.ReadPendingAttachment] = [A, O, O, O, O],
            [CortexAction.ReadPrincipal] = [A, A, A, O, O],
            [CortexAction.ListPrincipals] = [A, A, N, N, N],
            [CortexAction.CreatePrincipal] = [A, N, N, N, N],
            [CortexAction.UpdatePrincipal] = [A, N, N, N, N],
            [CortexAction.ReadKeys] = [A, O, O, O, O],
            [CortexAction.CreateKey] = [A, O, O, O, O],
            [CortexAction.RevokeKey] = [A, O, O, O, O],
            [CortexAction.ReadAudit] = [A, N, N, N, N],
            // Agents never review: the draft gate depends on it.
            [CortexAction.ReviewDraft] = [A, A, N, N, N],
            [CortexAction.Operate] = [A, N, N, N, N],
            // The draft gate. Approving and rejecting are reviews: never agents, and never the draft's author (checked
            // against the draft, as no grant can say "anyone but the owner").
            [CortexAction.CreateDraft] = [A, A, A, A, N],
            [CortexAction.EditDraft] = [A, A, O, O, N],
            [CortexAction.ApproveDraft] = [A, A, N, N, N],
            [CortexAction.RejectDraft] = [A, A, N, N, N],
            // The canon gate: versions are proposed by anyone who writes; only reviewers accept them.
            [CortexAction.CreateArtifact] = [A, A, A, A, N],
            [CortexAction.ProposeArtifactVersion] = [A, A, A, A, N],
            [CortexAction.AcceptCanon] = [A, A, N, N, N],
            [CortexAction.DeprecateArtifact] = [A, A, N, N, N],
            [CortexAction.ProposeSubcortex] = [A, A, A, N, N],
            [CortexAction.ActivateSubcortex] = [A, A, N, N, N],
            [CortexAction.DeclineSubcortex] = [A, A, N, N, N],
            [CortexAction.ManageTemplates] = [A, A, N, N, N],
            // Tasks: anyone who writes creates and assigns them; an agent updates only the tasks assigned to it (the owner of a
            // task, for this row, is its assignee).
            [CortexAction.CreateTask] = [A, A, A, A, N],
            [CortexAction.UpdateTask] = [A, A, A, O, N],
            // Merging moves all of a subcortex's content and redirects its slug: a reviewer's decision, like archiving.
            [CortexAction.MergeSubcortex] = [A, A, N, N, N],
            // Quarantine hides content from search, feeds and replicas at once (issue 6): a review decision.
            [CortexAction.QuarantineContent] = [A, A, N, N, N],
        };

    public static Grant GrantFor(Role role, CortexAction action)
    {
        var row = Rows[action];
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == role)
            {
                return row[i];
            }
        }

        return Grant.None;
    }
}
