import { describe, expect, it } from 'vitest';
import type { Draft } from '../src/api/types';
import { draftLabel, landing } from '../src/review/landing';
import { currentId, initialQueue, queueKey, selectedIds, step, summarizeBatch, type KeyLike, type QueueEvent, type QueueState } from '../src/review/queue';
import { href, parseRoute } from '../src/router';

function run(state: QueueState, ...events: QueueEvent[]) {
  let s = state;
  const steps = [];
  for (const event of events) {
    const result = step(s, event);
    steps.push(result);
    s = result.state;
  }
  return { state: s, last: steps[steps.length - 1], steps };
}

const key = (k: KeyLike['key'], target: KeyLike['target'] = { tagName: 'BODY' }, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

describe('queue keys', () => {
  it('maps the listed shortcuts', () => {
    expect(queueKey(key('j'))).toBe('next');
    expect(queueKey(key('k'))).toBe('previous');
    expect(queueKey(key('a'))).toBe('approve');
    expect(queueKey(key('r'))).toBe('reject');
    expect(queueKey(key('x'))).toBe('toggle');
    expect(queueKey(key('A'))).toBe('approveSelected');
    expect(queueKey(key('R'))).toBe('rejectSelected');
    expect(queueKey(key('e'))).toBe('edit');
    expect(queueKey(key('q'))).toBeUndefined();
  });

  it('ignores keys typed into fields and keys with modifiers', () => {
    expect(queueKey(key('a', { tagName: 'TEXTAREA' }))).toBeUndefined();
    expect(queueKey(key('j', { tagName: 'input', type: 'text' }))).toBeUndefined();
    expect(queueKey(key('j', { tagName: 'SELECT' }))).toBeUndefined();
    expect(queueKey(key('a', { tagName: 'DIV', isContentEditable: true }))).toBeUndefined();
    expect(queueKey(key('a', { tagName: 'BODY' }, { ctrlKey: true }))).toBeUndefined();
    expect(queueKey(key('r', { tagName: 'BODY' }, { metaKey: true }))).toBeUndefined();
    // A focused checkbox or button still takes shortcuts.
    expect(queueKey(key('j', { tagName: 'INPUT', type: 'checkbox' }))).toBe('next');
    expect(queueKey(key('a', { tagName: 'BUTTON' }))).toBe('approve');
  });
});

describe('queue state machine', () => {
  const three = initialQueue(['d1', 'd2', 'd3']);

  it('moves with j and k, stopping at the ends and saying so', () => {
    expect(currentId(three)).toBe('d1');
    const down = run(three, { type: 'key', key: 'next' }, { type: 'key', key: 'next' });
    expect(currentId(down.state)).toBe('d3');
    expect(down.last?.announce).toBe('Draft 3 of 3: draft d3.');
    const past = run(down.state, { type: 'key', key: 'next' });
    expect(currentId(past.state)).toBe('d3');
    expect(past.last?.announce).toMatch(/last draft/);
    const up = run(past.state, { type: 'key', key: 'previous' });
    expect(currentId(up.state)).toBe('d2');
    expect(currentId(run(up.state, { type: 'key', key: 'first' }).state)).toBe('d1');
    expect(currentId(run(up.state, { type: 'key', key: 'last' }).state)).toBe('d3');
  });

  it('approves the current draft with a', () => {
    const { state, last } = run(three, { type: 'key', key: 'next' }, { type: 'key', key: 'approve' });
    expect(last?.command).toEqual({ kind: 'approve', ids: ['d2'] });
    expect(state.rejecting).toBeUndefined();
  });

  it('asks for a reason before rejecting, and needs a non-blank one', () => {
    const asked = run(three, { type: 'key', key: 'reject' });
    expect(asked.state.rejecting).toEqual(['d1']);
    expect(asked.last?.command).toBeUndefined();
    // Keys do nothing while the dialog is open.
    expect(run(asked.state, { type: 'key', key: 'approve' }).last?.command).toBeUndefined();
    const blank = run(asked.state, { type: 'confirmReject', reason: '   ' });
    expect(blank.last?.command).toBeUndefined();
    expect(blank.state.rejecting).toEqual(['d1']);
    const done = run(asked.state, { type: 'confirmReject', reason: ' duplicate of T1 ' });
    expect(done.last?.command).toEqual({ kind: 'reject', ids: ['d1'], reason: 'duplicate of T1' });
    expect(done.state.rejecting).toBeUndefined();
    const cancelled = run(asked.state, { type: 'cancelReject' });
    expect(cancelled.state.rejecting).toBeUndefined();
    expect(cancelled.last?.command).toBeUndefined();
  });

  it('selects with x and decides the selection in queue order', () => {
    const picked = run(three, { type: 'key', key: 'last' }, { type: 'key', key: 'toggle' }, { type: 'key', key: 'first' }, { type: 'key', key: 'toggle' });
    expect(selectedIds(picked.state)).toEqual(['d1', 'd3']);
    expect(picked.last?.announce).toMatch(/Selected draft d1; 2 selected/);
    expect(run(picked.state, { type: 'key', key: 'approveSelected' }).last?.command).toEqual({ kind: 'approve', ids: ['d1', 'd3'] });
    const rejecting = run(picked.state, { type: 'key', key: 'rejectSelected' }, { type: 'confirmReject', reason: 'stale' });
    expect(rejecting.last?.command).toEqual({ kind: 'reject', ids: ['d1', 'd3'], reason: 'stale' });
    const unpicked = run(picked.state, { type: 'key', key: 'toggle' });
    expect(selectedIds(unpicked.state)).toEqual(['d3']);
  });

  it('refuses a batch with nothing selected', () => {
    const result = run(three, { type: 'key', key: 'approveSelected' });
    expect(result.last?.command).toBeUndefined();
    expect(result.last?.announce).toMatch(/Nothing is selected/);
    expect(run(three, { type: 'rejectSelected' }).state.rejecting).toBeUndefined();
  });

  it('brings up the next draft when the current one is decided', () => {
    const atMiddle = run(three, { type: 'key', key: 'next' }, { type: 'toggle', id: 'd3' });
    const after = run(atMiddle.state, { type: 'decided', ids: ['d2'] });
    expect(after.state.ids).toEqual(['d1', 'd3']);
    expect(currentId(after.state)).toBe('d3');
    expect(selectedIds(after.state)).toEqual(['d3']);
    const lastGone = run(after.state, { type: 'decided', ids: ['d3'] });
    expect(currentId(lastGone.state)).toBe('d1');
    expect(selectedIds(lastGone.state)).toEqual([]);
    const empty = run(lastGone.state, { type: 'decided', ids: ['d1'] });
    expect(empty.state.cursor).toBe(-1);
    expect(run(empty.state, { type: 'key', key: 'approve' }).last?.command).toBeUndefined();
  });

  it('keeps the cursor on the same draft when the list reloads', () => {
    const at = run(three, { type: 'key', key: 'last' }, { type: 'toggle', id: 'd1' });
    const reloaded = run(at.state, { type: 'loaded', ids: ['d0', 'd1', 'd2', 'd3', 'd4'] });
    expect(currentId(reloaded.state)).toBe('d3');
    expect(selectedIds(reloaded.state)).toEqual(['d1']);
    const gone = run(at.state, { type: 'loaded', ids: ['d2'] });
    expect(currentId(gone.state)).toBe('d2');
    expect(selectedIds(gone.state)).toEqual([]);
  });

  it('focuses a clicked draft and keeps edit on the current one', () => {
    const clicked = run(three, { type: 'focus', id: 'd3' });
    expect(currentId(clicked.state)).toBe('d3');
    expect(run(clicked.state, { type: 'key', key: 'edit' }).last?.command).toEqual({ kind: 'edit', id: 'd3' });
    expect(currentId(run(clicked.state, { type: 'focus', id: 'nope' }).state)).toBe('d3');
  });
});

describe('batch answers', () => {
  it('separate what was decided from what was refused, naming why', () => {
    const summary = summarizeBatch(
      [
        { id: 'd1', status: 200 },
        { id: 'd2', status: 403, detail: 'You wrote this draft; another reviewer must decide it.' },
        { id: 'd3', status: 200 },
      ],
      'rejected',
    );
    expect(summary.decided).toEqual(['d1', 'd3']);
    expect(summary.failed).toEqual([{ id: 'd2', detail: 'You wrote this draft; another reviewer must decide it.' }]);
    expect(summary.message).toBe('2 drafts rejected; 1 draft refused: You wrote this draft; another reviewer must decide it.');
    expect(summarizeBatch([{ id: 'd1', status: 200 }], 'approved').message).toBe('1 draft approved.');
  });
});

const draft = (over: Partial<Draft>): Draft => ({
  id: 'D1',
  kind: 'thread',
  subcortexId: 'S1',
  body: 'Body',
  state: 'approved',
  createdAt: '2026-11-27T00:00:00Z',
  ...over,
});

describe('where an approved draft landed', () => {
  it('is its thread, the commented thread, or the artifact version', () => {
    expect(landing(draft({ materializedId: 'T9' }))).toEqual({ name: 'thread', id: 'T9' });
    expect(landing(draft({ kind: 'comment', threadId: 'T2', materializedId: 'C7' }))).toEqual({ name: 'thread', id: 'T2' });
    expect(landing(draft({ kind: 'artifactVersion', artifactId: 'A1', materializedId: '3' }))).toEqual({ name: 'artifact', id: 'A1', version: 3 });
    expect(landing(draft({ state: 'pending', materializedId: 'T9' }))).toBeUndefined();
    expect(landing(draft({ state: 'rejected' }))).toBeUndefined();
  });

  it('labels drafts by title or first line, as text', () => {
    expect(draftLabel(draft({ title: '<b>x</b>' }))).toBe('thread “<b>x</b>”');
    expect(draftLabel(draft({ kind: 'comment', body: '\n\nfirst line\nsecond' }))).toBe('comment “first line”');
    expect(draftLabel(draft({ kind: 'artifactVersion', body: 'x'.repeat(80) }))).toBe(`artifact version “${'x'.repeat(60)}…”`);
  });
});

describe('review and artifact routes', () => {
  it('round-trip filters and versions through the address', () => {
    const review = parseRoute('/review', '?subcortex=ops&kind=comment&author=P1&state=all&junk=1');
    expect(review).toEqual({ name: 'review', filter: { subcortex: 'ops', kind: 'comment', author: 'P1', state: 'all' } });
    expect(href(review)).toBe('/review?subcortex=ops&kind=comment&author=P1&state=all');
    expect(href({ name: 'review', filter: {} })).toBe('/review');
    expect(parseRoute('/a/A1', '?v=3')).toEqual({ name: 'artifact', id: 'A1', version: 3 });
    expect(parseRoute('/a/A1', '?v=-1')).toEqual({ name: 'artifact', id: 'A1' });
    expect(href({ name: 'artifact', id: 'A/1', version: 2 })).toBe('/a/A%2F1?v=2');
    expect(parseRoute('/s/ops/artifacts', '')).toEqual({ name: 'artifacts', slug: 'ops' });
    expect(parseRoute('/drafts/D1', '')).toEqual({ name: 'draft', id: 'D1' });
    expect(parseRoute('/manage/principals/P1/keys', '')).toEqual({ name: 'principalKeys', id: 'P1' });
    expect(parseRoute('/search', '?q=x&mode=hybrid')).toEqual({ name: 'search', q: 'x', mode: 'hybrid' });
    expect(parseRoute('/search', '?q=x&mode=bogus')).toEqual({ name: 'search', q: 'x' });
    expect(href({ name: 'search', q: 'x', mode: 'semantic' })).toBe('/search?q=x&mode=semantic');
    expect(href({ name: 'search', q: 'x', mode: 'keyword' })).toBe('/search?q=x');
  });
});

describe('thread edits held for review', () => {
  it('are labelled as edits and land on their thread', () => {
    const edit = draft({ threadId: 'T5', title: 'Better title', materializedId: 'T5' });
    expect(draftLabel({ ...edit, state: 'pending' })).toBe('thread edit “Better title”');
    expect(landing(edit)).toEqual({ name: 'thread', id: 'T5' });
  });
});
