import type { EvidenceLink } from '../api/types';
import type { Route } from '../router';

export const evidenceKinds = ['thread', 'observation', 'attachment', 'url'] as const;

/** Where a piece of evidence leads: a thread page, an external http(s) page, or nowhere (shown as its id). */
export type EvidenceTarget = { kind: 'route'; route: Route } | { kind: 'external'; url: string } | { kind: 'none' };

export function evidenceTarget(link: EvidenceLink): EvidenceTarget {
  switch (link.kind) {
    case 'thread':
      return { kind: 'route', route: { name: 'thread', id: link.target } };
    case 'url':
      return isHttpUrl(link.target) ? { kind: 'external', url: link.target } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

/** Only absolute http and https URLs are links; anything else (javascript:, data:…) is shown as text. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks the editor's rows as the server will; returns a message per row index. Empty rows are dropped first. */
export function validateEvidence(links: readonly EvidenceLink[]): Record<number, string> {
  const errors: Record<number, string> = {};
  links.forEach((link, i) => {
    const target = link.target.trim();
    if (!(evidenceKinds as readonly string[]).includes(link.kind)) {
      errors[i] = `Kind must be one of: ${evidenceKinds.join(', ')}.`;
    } else if (target === '' || target.length > 2_000) {
      errors[i] = 'Give the id or URL of the evidence (at most 2000 characters).';
    } else if (link.kind === 'url' && !isHttpUrl(target)) {
      errors[i] = 'A url must be an absolute http or https address.';
    }
  });
  return errors;
}

/** The rows worth sending: trimmed, without rows left empty. */
export function cleanEvidence(links: readonly EvidenceLink[]): EvidenceLink[] {
  return links.map((l) => ({ kind: l.kind, target: l.target.trim() })).filter((l) => l.target !== '');
}

/** How many links count toward a template's minimum, and how many are missing. */
export function evidenceShortfall(links: readonly EvidenceLink[], minEvidence: number, kinds: readonly string[]): { counted: number; missing: number } {
  const counted = links.filter((l) => kinds.includes(l.kind)).length;
  return { counted, missing: Math.max(0, minEvidence - counted) };
}
