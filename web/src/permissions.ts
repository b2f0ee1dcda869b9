import type { Role } from './api/types';

// What the UI offers to each role, mirroring shared-model's PermissionMatrix. Hiding a button is a courtesy:
// the server decides, and a 403 from it is shown as an error.
export type UiAction =
  | 'createSubcortex'
  | 'activateSubcortex'
  | 'manageTemplates'
  | 'createThread'
  | 'createComment'
  | 'readPrincipals'
  | 'manageOwnKeys'
  | 'administer'
  | 'reviewDrafts'
  | 'createArtifact'
  | 'proposeVersion'
  | 'acceptCanon'
  | 'deprecateArtifact'
  | 'writeTasks'
  | 'editAnyThread'
  | 'editOwnThread';

const grants: Readonly<Record<UiAction, readonly Role[]>> = {
  createSubcortex: ['admin', 'reviewer', 'member'],
  activateSubcortex: ['admin', 'reviewer'],
  manageTemplates: ['admin', 'reviewer'],
  createThread: ['admin', 'reviewer', 'member', 'agent'],
  createComment: ['admin', 'reviewer', 'member', 'agent'],
  readPrincipals: ['admin', 'reviewer', 'member'],
  manageOwnKeys: ['admin', 'reviewer', 'member', 'agent', 'reader'],
  administer: ['admin'],
  reviewDrafts: ['admin', 'reviewer'],
  createArtifact: ['admin', 'reviewer', 'member', 'agent'],
  proposeVersion: ['admin', 'reviewer', 'member', 'agent'],
  acceptCanon: ['admin', 'reviewer'],
  deprecateArtifact: ['admin', 'reviewer'],
  // Agents update only tasks assigned to them; the server checks that.
  writeTasks: ['admin', 'reviewer', 'member', 'agent'],
  // Agents propose thread edits as drafts instead (the sync hub answers review_required).
  editAnyThread: ['admin', 'reviewer'],
  editOwnThread: ['admin', 'reviewer', 'member'],
};

export function can(role: Role | undefined, action: UiAction): boolean {
  return role !== undefined && grants[action].includes(role);
}
