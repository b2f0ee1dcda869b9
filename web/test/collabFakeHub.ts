// An in-memory stand-in for the sync hub's document methods, holding the server's copy in a real yjs Y.Doc and
// answering the way the server's contract says: step 2 plus the server's state vector, updates relayed to the
// other subscribers (never echoed), awareness relayed verbatim, refusals as HubRefusal.
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { HubRefusal } from '../src/collab/refusal';
import { Listeners, type SyncTransport, type TransportState } from '../src/collab/transport';
import { MessageKind, type AwarenessMessage, type DocumentSyncAnswer, type DocumentSyncMessage } from '../src/collab/wire';

export class FakeHub {
  readonly docs = new Map<string, Y.Doc>();
  readonly transports = new Set<FakeTransport>();
  /** Documents whose pushes are refused, with the refusal's code. */
  readonly refuse = new Map<string, string>();
  readonly readOnlyFor = new Set<string>();
  pushes = 0;
  /** What the server knows of each connection's awareness clients, to announce their removal when it drops. */
  readonly presence = new Map<FakeTransport, Awareness>();

  docFor(documentId: string): Y.Doc {
    let doc = this.docs.get(documentId);
    if (!doc) {
      doc = new Y.Doc();
      this.docs.set(documentId, doc);
    }
    return doc;
  }

  /** The server seeds a document from the entity's stored body the first time anyone syncs it. */
  seed(documentId: string, body: string): void {
    this.docFor(documentId).getText('body').insert(0, body);
  }

  text(documentId: string): string {
    return this.docFor(documentId).getText('body').toString();
  }

  connect(name: string): FakeTransport {
    const transport = new FakeTransport(this, name);
    this.transports.add(transport);
    return transport;
  }

  subscribers(documentId: string, except?: FakeTransport): FakeTransport[] {
    return [...this.transports].filter((t) => t !== except && t.state === 'connected' && t.subscribed.has(documentId));
  }

  dropped(transport: FakeTransport): void {
    const awareness = this.presence.get(transport);
    if (!awareness) {
      return;
    }
    this.presence.delete(transport);
    const clients = [...awareness.getStates().keys()];
    removeAwarenessStates(awareness, clients, 'server');
    for (const documentId of transport.subscribed) {
      const payload = encodeAwarenessUpdate(awareness, clients);
      for (const other of this.subscribers(documentId, transport)) {
        other.deliverAwareness({ documentId, payload });
      }
    }
  }
}

export class FakeTransport implements SyncTransport {
  state: TransportState = 'disconnected';
  readonly subscribed = new Set<string>();
  readonly #updates = new Listeners<DocumentSyncMessage>();
  readonly #awareness = new Listeners<AwarenessMessage>();
  readonly #states = new Listeners<TransportState>();

  constructor(
    readonly hub: FakeHub,
    readonly name: string,
  ) {}

  async start(): Promise<void> {
    this.#setState('connected');
  }

  async stop(): Promise<void> {
    this.goOffline('disconnected');
  }

  /** The network drops: the server forgets the subscriptions, the client side sees 'reconnecting'. */
  goOffline(state: TransportState = 'reconnecting'): void {
    this.hub.dropped(this);
    this.subscribed.clear();
    this.#setState(state);
  }

  goOnline(): void {
    this.#setState('connected');
  }

  async syncDocument(step1: DocumentSyncMessage): Promise<DocumentSyncAnswer> {
    this.#requireConnected();
    if (step1.kind !== MessageKind.syncStep1) {
      throw new HubRefusal('expected step 1', 'bad_request');
    }
    const doc = this.hub.docFor(step1.documentId);
    this.subscribed.add(step1.documentId);
    return {
      step2: { documentId: step1.documentId, kind: MessageKind.syncStep2, payload: Y.encodeStateAsUpdate(doc, step1.payload) },
      serverStep1: { documentId: step1.documentId, kind: MessageKind.syncStep1, payload: Y.encodeStateVector(doc) },
      writable: !this.hub.readOnlyFor.has(this.name),
      readOnlyReason: this.hub.readOnlyFor.has(this.name) ? 'Readers cannot edit.' : undefined,
    };
  }

  async pushUpdate(update: DocumentSyncMessage): Promise<void> {
    this.#requireConnected();
    const code = this.hub.refuse.get(update.documentId);
    if (code) {
      throw new HubRefusal('The edit was refused.', code);
    }
    if (this.hub.readOnlyFor.has(this.name)) {
      throw new HubRefusal('Readers cannot edit.', 'document_read_only');
    }
    this.hub.pushes++;
    Y.applyUpdate(this.hub.docFor(update.documentId), update.payload, this);
    for (const other of this.hub.subscribers(update.documentId, this)) {
      other.deliverUpdate(update);
    }
  }

  async unsubscribe(documentId: string): Promise<void> {
    this.subscribed.delete(documentId);
  }

  async pushAwareness(message: AwarenessMessage): Promise<void> {
    this.#requireConnected();
    let known = this.hub.presence.get(this);
    if (!known) {
      known = new Awareness(new Y.Doc());
      known.setLocalState(null);
      this.hub.presence.set(this, known);
    }
    applyAwarenessUpdate(known, message.payload, 'client');
    for (const other of this.hub.subscribers(message.documentId, this)) {
      other.deliverAwareness(message);
    }
  }

  onDocumentUpdated(handler: (message: DocumentSyncMessage) => void): () => void {
    return this.#updates.add(handler);
  }

  onAwareness(handler: (message: AwarenessMessage) => void): () => void {
    return this.#awareness.add(handler);
  }

  onStateChange(handler: (state: TransportState) => void): () => void {
    return this.#states.add(handler);
  }

  deliverUpdate(message: DocumentSyncMessage): void {
    this.#updates.emit({ ...message, kind: MessageKind.update });
  }

  deliverAwareness(message: AwarenessMessage): void {
    this.#awareness.emit(message);
  }

  #requireConnected(): void {
    if (this.state !== 'connected') {
      throw new Error('Not connected to the sync server.');
    }
  }

  #setState(state: TransportState): void {
    if (state !== this.state) {
      this.state = state;
      this.#states.emit(state);
    }
  }
}
