using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.SharedModel.Tests;

public sealed class PermissionMatrixTests
{
    private const string Me = "01J0000000000000000000000A";
    private const string Someone = "01J0000000000000000000000B";

    /// <summary>
    /// The expected permissions, written independently of <see cref="PermissionMatrix"/> (by role, in words), so that a
    /// wrong entry in the matrix fails here. "any" = on anyone's resource; "own" = only on the principal's own.
    /// </summary>
    private static readonly Dictionary<Role, (string Any, string Own)> Expected = new()
    {
        [Role.Admin] = (
            "ReadContent Search ReadChanges CreateSubcortex UpdateSubcortex ArchiveSubcortex ManageSubcortexMembers CreateThread " +
            "UpdateThread CreateComment ReadPrincipal ListPrincipals CreatePrincipal UpdatePrincipal ReadKeys CreateKey RevokeKey " +
            "ReadAudit ReviewDraft Operate CreateObservation UploadAttachment ReadPendingAttachment " +
            "CreateDraft EditDraft ApproveDraft RejectDraft CreateArtifact ProposeArtifactVersion AcceptCanon DeprecateArtifact " +
            "ProposeSubcortex ActivateSubcortex DeclineSubcortex ManageTemplates CreateTask UpdateTask MergeSubcortex QuarantineContent",
            ""),
        [Role.Reviewer] = (
            "ReadContent Search ReadChanges CreateSubcortex UpdateSubcortex ArchiveSubcortex CreateThread UpdateThread CreateComment " +
            "ReadPrincipal ListPrincipals ReviewDraft CreateObservation UploadAttachment CreateDraft EditDraft ApproveDraft RejectDraft " +
            "CreateArtifact ProposeArtifactVersion AcceptCanon DeprecateArtifact ProposeSubcortex ActivateSubcortex DeclineSubcortex ManageTemplates CreateTask UpdateTask MergeSubcortex QuarantineContent",
            "ReadKeys CreateKey RevokeKey ReadPendingAttachment"),
        [Role.Member] = (
            "ReadContent Search ReadChanges CreateSubcortex CreateThread CreateComment ReadPrincipal CreateObservation UploadAttachment " +
            "CreateDraft CreateArtifact ProposeArtifactVersion ProposeSubcortex CreateTask UpdateTask",
            "UpdateSubcortex UpdateThread EditDraft ReadKeys CreateKey RevokeKey ReadPendingAttachment"),
        [Role.Agent] = (
            "ReadContent Search ReadChanges CreateThread CreateComment CreateObservation UploadAttachment CreateDraft CreateArtifact " +
            "ProposeArtifactVersion CreateTask",
            "UpdateThread EditDraft UpdateTask ReadPrincipal ReadKeys CreateKey RevokeKey ReadPendingAttachment"),
        [Role.Reader] = (
            "ReadContent Search ReadChanges",
            "ReadPrincipal ReadKeys CreateKey RevokeKey ReadPendingAttachment"),
    };

    public static TheoryData<Role, CortexAction> EveryRoleAndAction()
    {
        var data = new TheoryData<Role, CortexAction>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var action in Enum.GetValues<CortexAction>())
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    [Fact]
    public void The_matrix_has_a_row_for_every_action_and_a_column_for_every_role()
    {
        Assert.Equal(Enum.GetValues<CortexAction>().Order(), PermissionMatrix.Rows.Keys.Order());
        Assert.Equal(Enum.GetValues<Role>().Order(), PermissionMatrix.Columns.Order());
        Assert.All(PermissionMatrix.Rows.Values, row => Assert.Equal(PermissionMatrix.Columns.Count, row.Count));
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndAction))]
    public void May_follows_the_matrix_data(Role role, CortexAction action)
    {
        var grant = PermissionMatrix.GrantFor(role, action);
        var principal = Principal(role);
        Assert.Equal(grant != Grant.None, Permissions.May(principal, action, Resource.OwnedBy(ResourceKind.Thread, Me)));
        Assert.Equal(grant == Grant.Any, Permissions.May(principal, action, Resource.OwnedBy(ResourceKind.Thread, Someone)));
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndAction))]
    public void May_matches_the_independent_expectation_table(Role role, CortexAction action)
    {
        var (any, own) = Expected[role];
        var expectAny = any.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(action.ToString());
        var expectOwn = expectAny || own.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(action.ToString());
        var principal = Principal(role);
        Assert.Equal(expectOwn, Permissions.May(principal, action, Resource.OwnedBy(ResourceKind.ApiKey, Me)));
        Assert.Equal(expectAny, Permissions.May(principal, action, Resource.OwnedBy(ResourceKind.ApiKey, Someone)));
    }

    [Fact]
    public void The_expectation_table_names_only_real_actions()
    {
        var names = Enum.GetNames<CortexAction>();
        foreach (var (any, own) in Expected.Values)
        {
            Assert.All((any + " " + own).Split(' ', StringSplitOptions.RemoveEmptyEntries), name => Assert.Contains(name, names));
        }
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndAction))]
    public void A_disabled_principal_may_do_nothing(Role role, CortexAction action)
    {
        var principal = Principal(role) with { Disabled = true };
        Assert.False(Permissions.May(principal, action, Resource.OwnedBy(ResourceKind.Thread, Me)));
        Assert.False(Permissions.May(principal, action, Resource.System));
    }

    [Theory]
    [InlineData(Role.Reviewer)]
    [InlineData(Role.Member)]
    [InlineData(Role.Agent)]
    [InlineData(Role.Reader)]
    public void Private_content_is_readable_by_members_only(Role role)
    {
        var principal = Principal(role);
        Assert.False(Permissions.May(principal, CortexAction.ReadContent, Resource.Content(ResourceKind.Thread, Someone, isPrivate: true, askerIsMember: false)));
        Assert.True(Permissions.May(principal, CortexAction.ReadContent, Resource.Content(ResourceKind.Thread, Someone, isPrivate: true, askerIsMember: true)));
        Assert.True(Permissions.May(principal, CortexAction.ReadContent, Resource.Content(ResourceKind.Thread, Someone, isPrivate: false, askerIsMember: false)));
    }

    [Fact]
    public void Admins_read_private_content_without_membership()
    {
        Assert.True(Permissions.May(
            Principal(Role.Admin), CortexAction.ReadContent, Resource.Content(ResourceKind.Thread, Someone, isPrivate: true, askerIsMember: false)));
    }

    [Fact]
    public void Own_grants_never_apply_to_resources_without_an_owner()
    {
        Assert.False(Permissions.May(Principal(Role.Member), CortexAction.UpdateThread, Resource.System));
    }

    [Fact]
    public void Agents_never_review()
    {
        Assert.False(Permissions.May(Principal(Role.Agent), CortexAction.ReviewDraft, Resource.OwnedBy(ResourceKind.Draft, Someone)));
        Assert.False(Permissions.May(Principal(Role.Agent), CortexAction.ReviewDraft, Resource.OwnedBy(ResourceKind.Draft, Me)));
        foreach (var review in new[] { CortexAction.ApproveDraft, CortexAction.RejectDraft, CortexAction.AcceptCanon, CortexAction.ActivateSubcortex })
        {
            Assert.False(Permissions.May(Principal(Role.Agent), review, Resource.OwnedBy(ResourceKind.Draft, Someone)));
            Assert.False(Permissions.May(Principal(Role.Agent), review, Resource.OwnedBy(ResourceKind.Draft, Me)));
        }
    }

    private static Principal Principal(Role role) => new()
    {
        Id = Me,
        Handle = "me",
        DisplayName = "Me",
        Kind = role == Role.Agent ? PrincipalKind.Agent : PrincipalKind.Human,
        Role = role,
    };
}
