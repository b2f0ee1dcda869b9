import type { Role } from './api/types';

// What the UI offers to each role, mirroring shared-model's PermissionMatrix. Hiding a button is a courtesy:
// the server decides, and a 403 from it is shown as an error.
export type UiAction =
  | 'createSubcortex'
  | 'activateSubcortex'
  | 'createThread'
  | 'createComment'
  | 'readPrincipals'
  | 'manageOwnKeys'
  | 'administer';

const grants: Readonly<Record<UiAction, readonly Role[]>> = {
  createSubcortex: ['admin', 'reviewer', 'member'],
  activateSubcortex: ['admin', 'reviewer'],
  createThread: ['admin', 'reviewer', 'member', 'agent'],
  createComment: ['admin', 'reviewer', 'member', 'agent'],
  readPrincipals: ['admin', 'reviewer', 'member'],
  manageOwnKeys: ['admin', 'reviewer', 'member', 'agent', 'reader'],
  administer: ['admin'],
};

export function can(role: Role | undefined, action: UiAction): boolean {
  return role !== undefined && grants[action].includes(role);
}
