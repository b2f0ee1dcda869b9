import type { Draft } from '../api/types';
import type { Route } from '../router';

/** Where an approved draft landed: its new thread, the thread it commented on, or the artifact version it became. */
export function landing(draft: Draft): Route | undefined {
  if (draft.state !== 'approved') {
    return undefined;
  }
  switch (draft.kind) {
    case 'thread':
      return draft.materializedId ? { name: 'thread', id: draft.materializedId } : undefined;
    case 'comment':
      return draft.threadId ? { name: 'thread', id: draft.threadId } : undefined;
    case 'artifactVersion': {
      if (!draft.artifactId) {
        return undefined;
      }
      const version = Number(draft.materializedId);
      return Number.isInteger(version) && version > 0 ? { name: 'artifact', id: draft.artifactId, version } : { name: 'artifact', id: draft.artifactId };
    }
    default:
      return undefined;
  }
}

/** A short name for a draft, for lists and announcements. Plain text: it is never inserted as markup. */
export function draftLabel(draft: Draft): string {
  const kind = draft.kind === 'artifactVersion' ? 'artifact version' : draft.kind === 'thread' && draft.threadId ? 'thread edit' : draft.kind;
  if (draft.title) {
    return `${kind} “${draft.title}”`;
  }
  const firstLine = draft.body.split('\n').find((line) => line.trim() !== '') ?? '';
  const excerpt = firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine;
  return excerpt ? `${kind} “${excerpt}”` : kind;
}
