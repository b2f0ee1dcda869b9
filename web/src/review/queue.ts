// The review queue's keyboard state machine, free of the DOM so it can be tested on its own. The page feeds it
// key presses and server answers; it says what to run and what to announce to screen readers.

export interface QueueState {
  /** Draft ids in queue order. */
  ids: readonly string[];
  /** Index of the draft under the cursor; -1 when the queue is empty. */
  cursor: number;
  /** Drafts marked with `x` for a batch decision. */
  selected: ReadonlySet<string>;
  /** The drafts the reason dialog is open for, or undefined when it is closed. */
  rejecting: readonly string[] | undefined;
}

export type QueueCommand =
  | { kind: 'approve'; ids: readonly string[] }
  | { kind: 'reject'; ids: readonly string[]; reason: string }
  | { kind: 'edit'; id: string };

export type QueueEvent =
  | { type: 'key'; key: QueueKey }
  | { type: 'loaded'; ids: readonly string[] }
  | { type: 'focus'; id: string }
  | { type: 'toggle'; id: string }
  | { type: 'approveSelected' }
  | { type: 'rejectSelected' }
  | { type: 'confirmReject'; reason: string }
  | { type: 'cancelReject' }
  /** Drafts the server decided (approved or rejected): they leave the pending queue. */
  | { type: 'decided'; ids: readonly string[] };

export type QueueKey = 'next' | 'previous' | 'approve' | 'reject' | 'toggle' | 'approveSelected' | 'rejectSelected' | 'edit' | 'first' | 'last';

export interface Step {
  state: QueueState;
  command?: QueueCommand;
  /** A sentence for the live region. */
  announce?: string;
}

/** The shortcuts, as listed on the page. */
export const shortcuts: ReadonlyArray<readonly [string, string]> = [
  ['j', 'next draft'],
  ['k', 'previous draft'],
  ['g / G', 'first / last draft'],
  ['a', 'approve the current draft'],
  ['r', 'reject the current draft (asks for a reason)'],
  ['e', 'edit the current draft before approving'],
  ['x', 'select or unselect the current draft'],
  ['A', 'approve all selected drafts'],
  ['R', 'reject all selected drafts (asks for one reason)'],
];

const keyMap: Readonly<Record<string, QueueKey>> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  g: 'first',
  G: 'last',
  a: 'approve',
  r: 'reject',
  e: 'edit',
  x: 'toggle',
  A: 'approveSelected',
  R: 'rejectSelected',
};

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element the key went to: typing into a field is never a shortcut. */
  target: { tagName?: string; type?: string; isContentEditable?: boolean } | null;
}

const typingTags = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const toggleInputs = new Set(['checkbox', 'radio']);

function isTyping(target: KeyLike['target']): boolean {
  if (!target) {
    return false;
  }
  if (target.isContentEditable) {
    return true;
  }
  const tag = target.tagName?.toUpperCase() ?? '';
  return typingTags.has(tag) && !(tag === 'INPUT' && toggleInputs.has(target.type ?? ''));
}

/** Maps a key press to a queue key, or undefined when it is not a shortcut here. */
export function queueKey(event: KeyLike): QueueKey | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
    return undefined;
  }
  return keyMap[event.key];
}

export function initialQueue(ids: readonly string[] = []): QueueState {
  return { ids, cursor: ids.length > 0 ? 0 : -1, selected: new Set(), rejecting: undefined };
}

export function currentId(state: QueueState): string | undefined {
  return state.cursor >= 0 ? state.ids[state.cursor] : undefined;
}

/** Selected drafts in queue order. */
export function selectedIds(state: QueueState): string[] {
  return state.ids.filter((id) => state.selected.has(id));
}

function moveTo(state: QueueState, cursor: number, describe: (id: string, position: number) => string): Step {
  if (state.ids.length === 0) {
    return { state, announce: 'The queue is empty.' };
  }
  const clamped = Math.max(0, Math.min(state.ids.length - 1, cursor));
  const id = state.ids[clamped] ?? '';
  if (clamped === state.cursor) {
    return { state, announce: clamped === 0 ? 'Already at the first draft.' : 'Already at the last draft.' };
  }
  return { state: { ...state, cursor: clamped }, announce: describe(id, clamped + 1) };
}

/**
 * One transition. `describe` names a draft for announcements ("thread “Fix login”"); the page passes what it
 * knows about the draft.
 */
export function step(state: QueueState, event: QueueEvent, describe: (id: string) => string = (id) => `draft ${id}`): Step {
  const at = (id: string, position: number) => `Draft ${position} of ${state.ids.length}: ${describe(id)}.`;
  switch (event.type) {
    case 'loaded': {
      const keep = currentId(state);
      const index = keep === undefined ? -1 : event.ids.indexOf(keep);
      const selected = new Set([...state.selected].filter((id) => event.ids.includes(id)));
      return {
        state: { ids: event.ids, cursor: index >= 0 ? index : event.ids.length > 0 ? 0 : -1, selected, rejecting: state.rejecting },
      };
    }
    case 'focus': {
      const index = state.ids.indexOf(event.id);
      return index < 0 ? { state } : { state: { ...state, cursor: index } };
    }
    case 'toggle':
      return toggle(state, event.id, describe);
    case 'approveSelected':
      return approveSelected(state);
    case 'rejectSelected':
      return rejectSelected(state);
    case 'confirmReject': {
      if (!state.rejecting) {
        return { state };
      }
      const reason = event.reason.trim();
      if (reason === '') {
        return { state, announce: 'Give a reason for rejecting.' };
      }
      return { state: { ...state, rejecting: undefined }, command: { kind: 'reject', ids: state.rejecting, reason } };
    }
    case 'cancelReject':
      return { state: { ...state, rejecting: undefined }, announce: 'Rejection cancelled.' };
    case 'decided':
      return decided(state, event.ids);
    case 'key':
      break;
  }
  if (state.rejecting) {
    // While the reason dialog is open, keys belong to it.
    return { state };
  }
  const id = currentId(state);
  switch (event.key) {
    case 'next':
      return moveTo(state, state.cursor + 1, at);
    case 'previous':
      return moveTo(state, state.cursor - 1, at);
    case 'first':
      return moveTo(state, 0, at);
    case 'last':
      return moveTo(state, state.ids.length - 1, at);
    case 'approve':
      return id === undefined ? { state, announce: 'The queue is empty.' } : { state, command: { kind: 'approve', ids: [id] }, announce: `Approving ${describe(id)}…` };
    case 'reject':
      return id === undefined
        ? { state, announce: 'The queue is empty.' }
        : { state: { ...state, rejecting: [id] }, announce: `Why reject ${describe(id)}?` };
    case 'edit':
      return id === undefined ? { state, announce: 'The queue is empty.' } : { state, command: { kind: 'edit', id } };
    case 'toggle':
      return id === undefined ? { state, announce: 'The queue is empty.' } : toggle(state, id, describe);
    case 'approveSelected':
      return approveSelected(state);
    case 'rejectSelected':
      return rejectSelected(state);
  }
}

function toggle(state: QueueState, id: string, describe: (id: string) => string): Step {
  const selected = new Set(state.selected);
  const adding = !selected.has(id);
  if (adding) {
    selected.add(id);
  } else {
    selected.delete(id);
  }
  return {
    state: { ...state, selected },
    announce: `${adding ? 'Selected' : 'Unselected'} ${describe(id)}; ${selected.size} selected.`,
  };
}

function approveSelected(state: QueueState): Step {
  const ids = selectedIds(state);
  if (ids.length === 0) {
    return { state, announce: 'Nothing is selected; press x to select drafts.' };
  }
  return { state, command: { kind: 'approve', ids }, announce: `Approving ${ids.length} selected draft${ids.length === 1 ? '' : 's'}…` };
}

function rejectSelected(state: QueueState): Step {
  const ids = selectedIds(state);
  if (ids.length === 0) {
    return { state, announce: 'Nothing is selected; press x to select drafts.' };
  }
  return { state: { ...state, rejecting: ids }, announce: `Why reject the ${ids.length} selected draft${ids.length === 1 ? '' : 's'}?` };
}

/** Removes decided drafts; the cursor stays at the same position so the next draft comes up. */
function decided(state: QueueState, gone: readonly string[]): Step {
  const goneSet = new Set(gone);
  const ids = state.ids.filter((id) => !goneSet.has(id));
  const current = currentId(state);
  let cursor: number;
  if (current !== undefined && !goneSet.has(current)) {
    cursor = ids.indexOf(current);
  } else {
    // The first draft after the removed current one, else the last.
    const before = state.ids.slice(0, Math.max(0, state.cursor)).filter((id) => !goneSet.has(id)).length;
    cursor = ids.length === 0 ? -1 : Math.min(before, ids.length - 1);
  }
  const selected = new Set([...state.selected].filter((id) => !goneSet.has(id)));
  return { state: { ...state, ids, cursor, selected } };
}

/** What a batch answer means for the queue: which drafts were decided, and a sentence about the rest. */
export function summarizeBatch(
  results: ReadonlyArray<{ id?: string | null; status: number; detail?: string | null }>,
  verb: 'approved' | 'rejected',
): { decided: string[]; failed: Array<{ id: string; detail: string }>; message: string } {
  const decided: string[] = [];
  const failed: Array<{ id: string; detail: string }> = [];
  for (const result of results) {
    const id = result.id ?? '';
    if (result.status >= 200 && result.status < 300) {
      decided.push(id);
    } else {
      failed.push({ id, detail: result.detail ?? `HTTP ${result.status}` });
    }
  }
  const plural = (n: number) => `${n} draft${n === 1 ? '' : 's'}`;
  const message =
    failed.length === 0
      ? `${plural(decided.length)} ${verb}.`
      : `${plural(decided.length)} ${verb}; ${plural(failed.length)} refused: ${failed.map((f) => f.detail).join(' ')}`;
  return { decided, failed, message };
}
