namespace Cortex.SharedModel.Authorization;

/// <summary>Everything a principal can ask to do. The permission matrix says who may.</summary>
public enum CortexAction
{
    ReadContent,
    CreateSubcortex,
    UpdateSubcortex,
    ArchiveSubcortex,
    ManageSubcortexMembers,
    CreateThread,
    UpdateThread,
    CreateComment,
    Search,
    ReadChanges,
    ReadPrincipal,
    ListPrincipals,
    CreatePrincipal,
    UpdatePrincipal,
    ReadKeys,
    CreateKey,
    RevokeKey,
    ReadAudit,
    ReviewDraft,
    Operate,
    CreateObservation,
    UploadAttachment,
    ReadPendingAttachment,
}
