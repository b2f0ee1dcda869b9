import type { AwarenessMessage, DocumentSyncAnswer, DocumentSyncMessage } from './wire';

export type TransportState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * What a document provider needs from the sync hub. The SignalR implementation talks to `/hubs/sync`; tests use an
 * in-memory one wired to a real yjs "server" document.
 */
export interface SyncTransport {
  readonly state: TransportState;
  /** Starts (or keeps) the connection; resolves once connected, rejects when it cannot connect now. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Step 1 → the server's step 2 and state vector; subscribes this connection to the document's updates. */
  syncDocument(step1: DocumentSyncMessage): Promise<DocumentSyncAnswer>;
  /** Sends one incremental update; resolves once the server has stored it. */
  pushUpdate(update: DocumentSyncMessage): Promise<void>;
  unsubscribe(documentId: string): Promise<void>;
  pushAwareness(message: AwarenessMessage): Promise<void>;
  /** Each `on…` returns a function that removes the handler. */
  onDocumentUpdated(handler: (message: DocumentSyncMessage) => void): () => void;
  onAwareness(handler: (message: AwarenessMessage) => void): () => void;
  onStateChange(handler: (state: TransportState) => void): () => void;
}

/** Handlers kept in a set, removable by the function `add` returns. */
export class Listeners<T> {
  readonly #handlers = new Set<(value: T) => void>();

  add(handler: (value: T) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  emit(value: T): void {
    for (const handler of [...this.#handlers]) {
      handler(value);
    }
  }

  get size(): number {
    return this.#handlers.size;
  }
}
