import type { Artifact, ArtifactVersion, Role } from '../api/types';
import { can } from '../permissions';

/**
 * What the artifact page offers for one version's canon gate, mirroring the server's rules: only a proposed version
 * of an active artifact, only a reviewer or admin, never its author nor anyone who co-edited its text.
 */
export type Acceptance = 'accept' | 'own' | 'coEdited' | 'none';

export function acceptanceOf(artifact: Artifact, version: ArtifactVersion, me: { id: string; role: Role }): Acceptance {
  if (artifact.state !== 'active' || version.state !== 'proposed' || !can(me.role, 'acceptCanon')) {
    return 'none';
  }
  if (version.authorId === me.id) {
    return 'own';
  }
  return version.editors.includes(me.id) ? 'coEdited' : 'accept';
}
