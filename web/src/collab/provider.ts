import * as Y from 'yjs';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { HubRefusal } from './refusal';
import { Listeners, type SyncTransport, type TransportState } from './transport';
import { MessageKind, type AwarenessMessage, type DocumentSyncMessage } from './wire';

export type SyncStatus =
  /** Waiting for the connection (the first time, or again after it dropped). `pending`: local edits not yet stored. */
  | { state: 'connecting'; pending: boolean }
  | { state: 'syncing'; pending: boolean }
  | { state: 'synced'; pending: boolean }
  | { state: 'offline'; pending: boolean }
  /** The server refused the document (no access, unknown id, read-only) — retrying would not help. */
  | { state: 'failed'; pending: boolean; message: string };

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * How long local edits gather before they are pushed. Every push the server stores becomes a new version of the
 * thread or draft (a change-feed row, an audit event, a sync to every replica), so keystrokes go in batches of about
 * half a second instead of one by one; others see them that much later.
 */
export const defaultPushDelayMs = 500;

const closeFlushTimeoutMs = 5000;

/**
 * Keeps one Y.Doc in sync with the server's copy through a {@link SyncTransport}, the y-protocols way: on every
 * (re)connection it sends its state vector (step 1), applies the server's answer (step 2), then sends the local
 * edits the server has not stored yet. Local edits are kept, merged, until a push succeeds, so edits made while
 * offline reach the server on reconnect and merge there like any concurrent edit. Presence (awareness) is relayed
 * through the same transport.
 */
export class DocumentProvider {
  readonly doc: Y.Doc;
  readonly documentId: string;
  readonly awareness: Awareness | undefined;
  readonly #transport: SyncTransport;
  #readOnly: boolean;
  readonly #forcedReadOnly: boolean;
  #readOnlyReason: string | undefined;
  readonly #writableListeners = new Listeners<boolean>();
  readonly #statusListeners = new Listeners<SyncStatus>();
  readonly #cleanup: Array<() => void> = [];
  #status: SyncStatus = { state: 'connecting', pending: false };
  /** Local updates the server has not acknowledged yet, merged into one. */
  #pending: Uint8Array | undefined;
  #flushing: Promise<void> | undefined;
  readonly #pushDelayMs: number;
  #pushTimer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;
  #destroying: Promise<void> | undefined;
  #destroyed = false;

  constructor(options: {
    doc: Y.Doc;
    documentId: string;
    transport: SyncTransport;
    awareness?: Awareness;
    readOnly?: boolean;
    /** Defaults to {@link defaultPushDelayMs}. */
    pushDelayMs?: number;
  }) {
    this.doc = options.doc;
    this.documentId = options.documentId;
    this.awareness = options.awareness;
    this.#transport = options.transport;
    this.#forcedReadOnly = options.readOnly ?? false;
    this.#pushDelayMs = options.pushDelayMs ?? defaultPushDelayMs;
    // Nothing to edit until the server's copy has arrived once (documents are never seeded locally).
    this.#readOnly = true;

    const onUpdate = (update: Uint8Array, origin: unknown) => this.#localUpdate(update, origin);
    this.doc.on('update', onUpdate);
    this.#cleanup.push(() => this.doc.off('update', onUpdate));
    this.#cleanup.push(this.#transport.onDocumentUpdated((m) => this.#remoteUpdate(m)));
    this.#cleanup.push(this.#transport.onStateChange((s) => this.#transportState(s)));
    if (this.awareness) {
      const awareness = this.awareness;
      const onAwareness = (change: AwarenessChange, origin: unknown) => this.#localAwareness(change, origin);
      awareness.on('update', onAwareness);
      this.#cleanup.push(() => awareness.off('update', onAwareness));
      this.#cleanup.push(this.#transport.onAwareness((m) => this.#remoteAwareness(m)));
    }
  }

  get status(): SyncStatus {
    return this.#status;
  }

  /** True while some local edit has not been stored by the server. */
  get hasPendingChanges(): boolean {
    return this.#pending !== undefined || this.#flushing !== undefined;
  }

  /**
   * True once the server's copy has arrived and the server accepts our edits; stays true while offline after that.
   * False for readers, canon, decided drafts, or when opened read-only.
   */
  get writable(): boolean {
    return !this.#readOnly;
  }

  get readOnlyReason(): string | undefined {
    return this.#readOnlyReason;
  }

  onWritable(handler: (writable: boolean) => void): () => void {
    return this.#writableListeners.add(handler);
  }

  onStatus(handler: (status: SyncStatus) => void): () => void {
    return this.#statusListeners.add(handler);
  }

  /** Starts syncing: now if the transport is connected, otherwise as soon as it connects. */
  async connect(): Promise<void> {
    if (this.#transport.state === 'connected') {
      await this.#resync();
      return;
    }
    this.#setStatus('connecting');
    try {
      await this.#transport.start();
    } catch {
      // The transport keeps retrying and reports 'connected' through onStateChange, which resyncs.
      this.#setStatus('offline');
      return;
    }
    if (this.#status.state !== 'synced' && this.#status.state !== 'syncing') {
      await this.#resync();
    }
  }

  /**
   * Pushes the edits gathered so far without waiting for the batch delay, and waits until every local edit made so far
   * is stored by the server (or cannot be: offline, or a push failed).
   */
  async flushed(): Promise<void> {
    for (;;) {
      this.#cancelScheduledPush();
      if (this.#flushing) {
        await this.#flushing;
      } else if (this.#pending && this.#status.state === 'synced' && !this.#destroyed) {
        await this.#flush();
      } else {
        return;
      }
    }
  }

  /** Pushes what is still gathering (so closing the editor loses nothing that can be sent), then leaves. */
  destroy(): Promise<void> {
    this.#destroying ??= this.#destroy();
    return this.#destroying;
  }

  async #destroy(): Promise<void> {
    // Bounded: a push on a connection that silently died would otherwise keep the transport open forever.
    await Promise.race([this.flushed(), new Promise((resolve) => setTimeout(resolve, closeFlushTimeoutMs))]);
    this.#destroyed = true;
    this.#cancelScheduledPush();
    this.#generation++;
    if (this.awareness) {
      // Tell the others we left (the awareness handler is still attached, so the removal is pushed).
      removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    }
    for (const undo of this.#cleanup.splice(0)) {
      undo();
    }
    if (this.#transport.state === 'connected') {
      await this.#transport.unsubscribe(this.documentId).catch(() => undefined);
    }
  }

  async #resync(): Promise<void> {
    const generation = ++this.#generation;
    this.#setStatus('syncing');
    try {
      const answer = await this.#transport.syncDocument({
        documentId: this.documentId,
        kind: MessageKind.syncStep1,
        payload: Y.encodeStateVector(this.doc),
      });
      if (generation !== this.#generation) {
        return;
      }
      Y.applyUpdate(this.doc, answer.step2.payload, this);
      this.#setWritable(answer.writable, answer.readOnlyReason);
      // Whatever the server lacks (edits made offline, or pushes lost with the connection) replaces the queue.
      const missing = Y.encodeStateAsUpdate(this.doc, answer.serverStep1.payload);
      this.#pending = this.#readOnly || isEmptyUpdate(missing) ? undefined : missing;
    } catch (error) {
      if (generation === this.#generation) {
        this.#failed(error);
      }
      return;
    }
    this.#setStatus('synced');
    this.#renewPresence();
    await this.#flush();
  }

  #localUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === this || this.#readOnly) {
      return;
    }
    this.#pending = this.#pending ? Y.mergeUpdates([this.#pending, update]) : update;
    this.#setStatus(this.#status.state, this.#status.state === 'failed' ? this.#status.message : undefined);
    if (this.#status.state === 'synced') {
      this.#schedulePush();
    }
  }

  /** Pushes the pending edits after the batch delay, unless a push is already due or under way. */
  #schedulePush(): void {
    if (this.#pushTimer !== undefined || this.#flushing || this.#destroyed) {
      return;
    }
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined;
      void this.#flush();
    }, this.#pushDelayMs);
  }

  #cancelScheduledPush(): void {
    if (this.#pushTimer !== undefined) {
      clearTimeout(this.#pushTimer);
      this.#pushTimer = undefined;
    }
  }

  /**
   * Pushes the pending edits as one batch; edits made meanwhile wait for the next batch (one push in flight at a time,
   * so they arrive in order). A failed push keeps its edits pending.
   */
  #flush(): Promise<void> {
    if (this.#flushing) {
      return this.#flushing;
    }
    this.#cancelScheduledPush();
    const run = async () => {
      if (!this.#pending || this.#status.state !== 'synced' || this.#destroyed) {
        return;
      }
      const batch = this.#pending;
      this.#pending = undefined;
      try {
        await this.#transport.pushUpdate({ documentId: this.documentId, kind: MessageKind.update, payload: batch });
      } catch (error) {
        this.#pending = this.#pending ? Y.mergeUpdates([batch, this.#pending]) : batch;
        if (error instanceof HubRefusal) {
          this.#failed(error);
        } else if (this.#status.state === 'synced') {
          // The connection dropped mid-push; the transport's state change triggers the resync.
          this.#setStatus('offline');
        }
      }
    };
    this.#flushing = run().finally(() => {
      this.#flushing = undefined;
      if (this.#pending && this.#status.state === 'synced' && !this.#destroyed) {
        // Edits made while the batch was on its way go in the next batch.
        this.#schedulePush();
      } else {
        this.#setStatus(this.#status.state, this.#status.state === 'failed' ? this.#status.message : undefined);
      }
    });
    return this.#flushing;
  }

  #remoteUpdate(message: DocumentSyncMessage): void {
    if (message.documentId !== this.documentId || message.kind === MessageKind.syncStep1) {
      return;
    }
    Y.applyUpdate(this.doc, message.payload, this);
  }

  #transportState(state: TransportState): void {
    if (this.#destroyed) {
      return;
    }
    if (state === 'connected') {
      void this.#resync();
      return;
    }
    this.#generation++;
    this.#cancelScheduledPush();
    if (this.#status.state !== 'failed') {
      this.#setStatus(state === 'disconnected' ? 'offline' : 'connecting');
    }
    // Whoever we saw may be gone by the time we are back; they announce themselves again after the resync.
    this.#forgetPeers();
  }

  #setWritable(writable: boolean, reason: string | undefined): void {
    const readOnly = !writable || this.#forcedReadOnly;
    const readOnlyReason = writable ? undefined : (reason ?? 'You cannot edit this document.');
    if (readOnly !== this.#readOnly || readOnlyReason !== this.#readOnlyReason) {
      this.#readOnly = readOnly;
      this.#readOnlyReason = readOnlyReason;
      this.#writableListeners.emit(!readOnly);
    }
  }

  #failed(error: unknown): void {
    this.#setStatus('failed', error instanceof Error ? error.message : 'The document could not be synced.');
  }

  #setStatus(state: SyncStatus['state'], message?: string): void {
    const pending = this.hasPendingChanges;
    const next: SyncStatus =
      state === 'failed' ? { state, pending, message: message ?? 'The document could not be synced.' } : { state, pending };
    const same =
      next.state === this.#status.state &&
      next.pending === this.#status.pending &&
      (next.state !== 'failed' || (this.#status.state === 'failed' && this.#status.message === next.message));
    if (!same) {
      this.#status = next;
      this.#statusListeners.emit(next);
    }
  }

  #localAwareness(change: AwarenessChange, origin: unknown): void {
    if (origin === this || !this.awareness) {
      return;
    }
    const me = this.doc.clientID;
    if ([...change.added, ...change.updated, ...change.removed].includes(me)) {
      this.#pushAwareness([me]);
    }
  }

  #remoteAwareness(message: AwarenessMessage): void {
    if (message.documentId !== this.documentId || !this.awareness) {
      return;
    }
    const before = new Set(this.awareness.getStates().keys());
    applyAwarenessUpdate(this.awareness, message.payload, this);
    const newcomer = [...this.awareness.getStates().keys()].some((id) => !before.has(id));
    if (newcomer) {
      // Someone joined: answer with our own state so they see us now, not at our next renewal.
      this.#announcePresence();
    }
  }

  /**
   * Announces us after a (re)connection. When a connection drops, the server tells the others we left with a
   * removal one clock tick past the last state it saw from us; a state with that same clock would be ignored, so
   * the clock skips a tick before the state is sent again.
   */
  #renewPresence(): void {
    const local = this.awareness?.getLocalState();
    if (!this.awareness || !local) {
      return;
    }
    const meta = this.awareness.meta.get(this.doc.clientID);
    if (meta) {
      meta.clock++;
    }
    this.awareness.setLocalState({ ...local });
  }

  #announcePresence(): void {
    if (this.awareness?.getLocalState()) {
      this.#pushAwareness([this.doc.clientID]);
    }
  }

  #pushAwareness(clients: number[]): void {
    if (!this.awareness || this.#transport.state !== 'connected') {
      return;
    }
    const payload = encodeAwarenessUpdate(this.awareness, clients);
    this.#transport.pushAwareness({ documentId: this.documentId, payload }).catch(() => undefined);
  }

  #forgetPeers(): void {
    if (!this.awareness) {
      return;
    }
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    if (others.length > 0) {
      removeAwarenessStates(this.awareness, others, this);
      // Forget their clocks too: when they answer our return with their unchanged state, it must count as new.
      for (const id of others) {
        this.awareness.meta.delete(id);
      }
    }
  }
}

/** `encodeStateAsUpdate` of nothing: no structs, an empty delete set. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
