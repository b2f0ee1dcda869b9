import { afterEach, describe, expect, it } from 'vitest';
import { colourFor, palette, peersOf, type PresenceUser } from '../src/collab/presence';
import type { DocumentProvider, SyncStatus } from '../src/collab/provider';
import { openCollabSession, type CollabSession } from '../src/collab/session';
import { describeStatus } from '../src/components/PresenceBar';
import { FakeHub, type FakeTransport } from './collabFakeHub';

const documentId = 'thread:01JTHREAD';
const open: CollabSession[] = [];

function person(id: string): PresenceUser {
  return { id, name: `Name ${id}`, handle: id, colour: colourFor(id) };
}

function join(transport: FakeTransport, id: string): CollabSession {
  const s = openCollabSession({ documentId, transport, user: person(id) });
  open.push(s);
  return s;
}

function synced(p: DocumentProvider): Promise<void> {
  return new Promise((resolve) => {
    const check = (s: SyncStatus) => s.state === 'synced' && !s.pending;
    if (check(p.status)) {
      resolve();
      return;
    }
    const off = p.onStatus((s) => {
      if (check(s)) {
        off();
        resolve();
      }
    });
  });
}

const names = (s: CollabSession) => peersOf(s.awareness.getStates(), s.doc.clientID).map((p) => p.handle);

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
  }
});

describe('presence over the sync transport', () => {
  it('shows each editor to the other as soon as both are in, including the one who came first', async () => {
    const hub = new FakeHub();
    const a = join(hub.connect('a'), 'alice');
    await synced(a.provider);
    expect(names(a)).toEqual([]);
    const b = join(hub.connect('b'), 'bob');
    await synced(b.provider);
    expect(names(a)).toEqual(['bob']);
    expect(names(b)).toEqual(['alice']);
  });

  it('removes a peer who closes the document, and one whose connection drops', async () => {
    const hub = new FakeHub();
    const ta = hub.connect('a');
    const a = join(ta, 'alice');
    const b = join(hub.connect('b'), 'bob');
    const c = join(hub.connect('c'), 'carol');
    await Promise.all([synced(a.provider), synced(b.provider), synced(c.provider)]);
    expect(names(a)).toEqual(['bob', 'carol']);

    await b.close();
    open.splice(open.indexOf(b), 1);
    expect(names(a)).toEqual(['carol']);
    expect(names(c)).toEqual(['alice']);

    ta.goOffline();
    expect(names(c)).toEqual([]);
    // Alice, offline, no longer trusts what she saw either.
    expect(names(a)).toEqual([]);
    ta.goOnline();
    await synced(a.provider);
    expect(names(a)).toEqual(['carol']);
    expect(names(c)).toEqual(['alice']);
  });

  it('publishes the cursor so others can mark a peer as active', async () => {
    const hub = new FakeHub();
    const a = join(hub.connect('a'), 'alice');
    const b = join(hub.connect('b'), 'bob');
    await Promise.all([synced(a.provider), synced(b.provider)]);
    expect(peersOf(b.awareness.getStates(), b.doc.clientID)[0]?.active).toBe(false);
    a.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    expect(peersOf(b.awareness.getStates(), b.doc.clientID)[0]).toMatchObject({ handle: 'alice', active: true });
  });
});

describe('peersOf', () => {
  const alice = person('alice');
  it('skips itself, its own other tabs, and states that are not a well-formed user', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: alice }],
      [2, { user: person('me') }],
      [3, { user: { ...alice, colour: 99 } }],
      [4, { user: { name: '<img src=x onerror=alert(1)>' } }],
      [5, {}],
      [6, { user: person('bob'), cursor: { anchor: 0, head: 0 } }],
    ]);
    expect(peersOf(states, 1, 'me').map((p) => [p.handle, p.active])).toEqual([['bob', true]]);
  });

  it('lists a person with several tabs once, active if any tab is', () => {
    const states = new Map<number, Record<string, unknown>>([
      [10, { user: alice, cursor: null }],
      [11, { user: alice, cursor: { anchor: 0, head: 0 } }],
      [12, { user: person('zed') }],
    ]);
    expect(peersOf(states, 99).map((p) => [p.handle, p.active])).toEqual([
      ['alice', true],
      ['zed', false],
    ]);
  });

  it('gives a principal the same colour every time, within the palette', () => {
    expect(colourFor('01JALICE')).toBe(colourFor('01JALICE'));
    const colours = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map(colourFor));
    expect(colours.size).toBeGreaterThan(3);
    for (const c of colours) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(palette.length);
    }
  });
});

describe('describeStatus', () => {
  it('tells whether edits are safe', () => {
    expect(describeStatus({ state: 'synced', pending: false })).toBe('Saved · live');
    expect(describeStatus({ state: 'synced', pending: true })).toBe('Saving…');
    expect(describeStatus({ state: 'offline', pending: true })).toMatch(/edits are kept/);
    expect(describeStatus({ state: 'failed', pending: false, message: 'No access.' })).toBe('No access.');
  });
});
