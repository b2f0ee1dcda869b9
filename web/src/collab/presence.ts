import type { Awareness } from 'y-protocols/awareness';

/** What each editor publishes about its person, in the `user` field y-codemirror.next also reads. */
export interface PresenceUser {
  id: string;
  name: string;
  handle: string;
  /** An index into {@link palette}: colours are classes in our stylesheet, since the CSP forbids inline styles. */
  colour: number;
}

export interface Peer extends PresenceUser {
  clientId: number;
  /** True when the peer's cursor is in the text (they have the editor focused). */
  active: boolean;
}

/** Caret and badge colours, legible on light and dark backgrounds; `.presence-colour-N` in styles.css. */
export const palette = ['#d1495b', '#2e86ab', '#3d9b35', '#b5651d', '#7b4fb0', '#0f8b8d', '#c2185b', '#5c6bc0'] as const;

/** A stable colour per principal, so a person has the same colour in every tab and on every page. */
export function colourFor(principalId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < principalId.length; i++) {
    hash = Math.imul(hash ^ principalId.charCodeAt(i), 16777619);
  }
  return (hash >>> 0) % palette.length;
}

function isUser(value: unknown): value is PresenceUser {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.handle === 'string' &&
    typeof v.colour === 'number' &&
    Number.isInteger(v.colour) &&
    v.colour >= 0 &&
    v.colour < palette.length
  );
}

/**
 * The other people in the document, one entry per person (several tabs of one person count once, active if any
 * of them is), sorted by name. States that do not look like ours (another client, a malicious peer) are skipped.
 */
export function peersOf(states: ReadonlyMap<number, Record<string, unknown>>, selfClientId: number, selfPrincipalId?: string): Peer[] {
  const byPerson = new Map<string, Peer>();
  for (const [clientId, state] of states) {
    if (clientId === selfClientId || !isUser(state.user)) {
      continue;
    }
    const user = state.user;
    if (user.id === selfPrincipalId) {
      continue;
    }
    const active = state.cursor !== null && state.cursor !== undefined;
    const known = byPerson.get(user.id);
    if (!known || (active && !known.active)) {
      byPerson.set(user.id, { id: user.id, name: user.name, handle: user.handle, colour: user.colour, clientId, active: active || (known?.active ?? false) });
    }
  }
  return [...byPerson.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function setLocalUser(awareness: Awareness, user: PresenceUser): void {
  awareness.setLocalStateField('user', user);
}
