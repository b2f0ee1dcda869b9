import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PresenceUser } from '../src/collab/presence';
import type { DocumentProvider, SyncStatus } from '../src/collab/provider';
import { openCollabSession, type CollabSession } from '../src/collab/session';
import { FakeHub, type FakeTransport } from './collabFakeHub';

const doc1 = 'draft:01JDRAFT';
const open: CollabSession[] = [];

function user(id: string, colour = 0): PresenceUser {
  return { id, name: `Person ${id}`, handle: id, colour };
}

function session(transport: FakeTransport, who: string, documentId = doc1): CollabSession {
  const s = openCollabSession({ documentId, transport, user: user(who) });
  open.push(s);
  return s;
}

/** Resolves once the provider's status satisfies `accept` (checked now and on every change). */
function until(provider: DocumentProvider, accept: (status: SyncStatus) => boolean): Promise<SyncStatus> {
  return new Promise((resolve) => {
    if (accept(provider.status)) {
      resolve(provider.status);
      return;
    }
    const off = provider.onStatus((status) => {
      if (accept(status)) {
        off();
        resolve(status);
      }
    });
  });
}

const settled = (p: DocumentProvider) => until(p, (s) => s.state === 'synced' && !s.pending);

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
  }
});

describe('DocumentProvider', () => {
  it('starts empty, takes the server copy from step 2 and becomes writable', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'Runbook: restart the worker');
    const a = session(hub.connect('a'), 'alice');
    expect(a.provider.writable).toBe(false);
    await settled(a.provider);
    expect(a.text.toString()).toBe('Runbook: restart the worker');
    expect(a.provider.writable).toBe(true);
    expect(hub.pushes).toBe(0);
  });

  it('sends local edits and relays them to the other editor', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'hello');
    const a = session(hub.connect('a'), 'alice');
    const b = session(hub.connect('b'), 'bob');
    await Promise.all([settled(a.provider), settled(b.provider)]);

    a.text.insert(5, ' world');
    await a.provider.flushed();
    expect(hub.text(doc1)).toBe('hello world');
    expect(b.text.toString()).toBe('hello world');

    b.text.insert(0, '> ');
    await b.provider.flushed();
    expect(a.text.toString()).toBe('> hello world');
    expect(hub.text(doc1)).toBe('> hello world');
  });

  it('keeps edits made offline and merges them with concurrent edits on reconnect', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'base');
    const ta = hub.connect('a');
    const a = session(ta, 'alice');
    const b = session(hub.connect('b'), 'bob');
    await Promise.all([settled(a.provider), settled(b.provider)]);

    ta.goOffline();
    expect(a.provider.status.state).toBe('connecting');
    a.text.insert(0, 'offline-A ');
    a.text.insert(a.text.length, ' more-A');
    expect(a.provider.status.pending).toBe(true);
    b.text.insert(4, ' online-B');
    await b.provider.flushed();
    expect(hub.text(doc1)).toBe('base online-B');

    ta.goOnline();
    await settled(a.provider);
    expect(hub.text(doc1)).toBe(a.text.toString());
    expect(b.text.toString()).toBe(a.text.toString());
    expect(a.text.toString()).toContain('offline-A');
    expect(a.text.toString()).toContain('online-B');
    expect(a.text.toString()).toContain('more-A');
  });

  it('converges when both edit at the same position concurrently', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, '');
    const ta = hub.connect('a');
    const tb = hub.connect('b');
    const a = session(ta, 'alice');
    const b = session(tb, 'bob');
    await Promise.all([settled(a.provider), settled(b.provider)]);
    ta.goOffline();
    tb.goOffline();
    for (let i = 0; i < 20; i++) {
      a.text.insert(a.text.length === 0 ? 0 : i % a.text.length, 'a');
      b.text.insert(0, 'b');
    }
    ta.goOnline();
    tb.goOnline();
    await Promise.all([settled(a.provider), settled(b.provider)]);
    // The second to reconnect got the first's edits in its step 2; the first gets the second's by relay.
    expect(a.text.toString()).toBe(b.text.toString());
    expect(hub.text(doc1)).toBe(a.text.toString());
    expect(a.text.toString().replace(/b/g, '')).toHaveLength(20);
    expect(a.text.toString().replace(/a/g, '')).toHaveLength(20);
  });

  it('is read-only when the server says so, and never pushes', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'canon text');
    hub.readOnlyFor.add('reader');
    const r = session(hub.connect('reader'), 'rita');
    await settled(r.provider);
    expect(r.provider.writable).toBe(false);
    expect(r.provider.readOnlyReason).toBe('Readers cannot edit.');
    r.text.insert(0, 'sneaky ');
    await r.provider.flushed();
    expect(hub.pushes).toBe(0);
    expect(hub.text(doc1)).toBe('canon text');
  });

  it('tells why it is read-only even when it was opened read-only', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'watch me');
    hub.readOnlyFor.add('reader');
    const s = openCollabSession({ documentId: doc1, transport: hub.connect('reader'), user: user('rita'), readOnly: true });
    open.push(s);
    const seen: Array<[boolean, string | undefined]> = [];
    s.provider.onWritable((w) => seen.push([w, s.provider.readOnlyReason]));
    await settled(s.provider);
    expect(seen).toEqual([[false, 'Readers cannot edit.']]);
  });

  it('reports a refused edit as failed with the server message instead of retrying', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'draft');
    const a = session(hub.connect('a'), 'alice');
    await settled(a.provider);
    hub.refuse.set(doc1, 'secret_detected');
    a.text.insert(0, 'AKIA… ');
    const failed = await until(a.provider, (s) => s.state === 'failed');
    expect(failed).toMatchObject({ state: 'failed', message: 'The edit was refused.', pending: true });
    expect(hub.text(doc1)).toBe('draft');
  });

  it('gathers keystrokes into batches instead of pushing each one (each push is a stored version)', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, '');
    const a = openCollabSession({ documentId: doc1, transport: hub.connect('a'), user: user('alice'), pushDelayMs: 200 });
    open.push(a);
    const b = session(hub.connect('b'), 'bob');
    await Promise.all([settled(a.provider), settled(b.provider)]);
    // Eleven keystrokes, eleven yjs updates, within one batch delay.
    for (const letter of 'typing fast') {
      a.text.insert(a.text.length, letter);
    }
    expect(hub.pushes).toBe(0);
    expect(a.provider.status).toEqual({ state: 'synced', pending: true });
    await settled(a.provider);
    expect(hub.pushes).toBe(1);
    expect(hub.text(doc1)).toBe('typing fast');
    expect(b.text.toString()).toBe('typing fast');
  });

  it('sends the edits still gathering when the editor closes', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'draft');
    const a = openCollabSession({ documentId: doc1, transport: hub.connect('a'), user: user('alice'), pushDelayMs: 60_000 });
    await settled(a.provider);
    a.text.insert(5, ', finished');
    await a.close();
    expect(hub.pushes).toBe(1);
    expect(hub.text(doc1)).toBe('draft, finished');
  });

  it('ignores updates for other documents', async () => {
    const hub = new FakeHub();
    hub.seed(doc1, 'one');
    hub.seed('draft:other', 'two');
    const a = session(hub.connect('a'), 'alice');
    const b = session(hub.connect('b'), 'bob', 'draft:other');
    await Promise.all([settled(a.provider), settled(b.provider)]);
    const stray = new Y.Doc();
    stray.getText('body').insert(0, 'stray');
    hub.connect('x'); // unrelated connection
    for (const t of hub.transports) {
      t.deliverUpdate({ documentId: 'draft:other', kind: 2, payload: Y.encodeStateAsUpdate(stray) });
    }
    expect(a.text.toString()).toBe('one');
    expect(b.text.toString()).toContain('stray');
    expect(b.text.toString()).toContain('two');
  });
});
