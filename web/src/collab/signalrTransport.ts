import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { keepConnected } from '../live/hubConnection';
import { reconnectDelay } from '../live/retry';
import { refusalFrom } from './refusal';
import { Listeners, type SyncTransport, type TransportState } from './transport';
import {
  answerFromWire,
  awarenessFromWire,
  awarenessToWire,
  fromWire,
  toWire,
  type AwarenessMessage,
  type DocumentSyncAnswer,
  type DocumentSyncMessage,
} from './wire';

export const syncHubPath = '/hubs/sync';

/** The sync hub over SignalR's MessagePack protocol; the browser's session cookie authenticates the WebSocket. */
export class SignalRSyncTransport implements SyncTransport {
  readonly #connection: HubConnection;
  readonly #updates = new Listeners<DocumentSyncMessage>();
  readonly #awareness = new Listeners<AwarenessMessage>();
  readonly #states = new Listeners<TransportState>();
  #state: TransportState = 'disconnected';
  #link: ReturnType<typeof keepConnected> | undefined;

  constructor(url = syncHubPath) {
    this.#connection = new HubConnectionBuilder()
      // A WebSocket upgrade is a GET: the SameSite=Strict cookie authenticates it and no CSRF token is needed.
      .withUrl(url, { transport: HttpTransportType.WebSockets, skipNegotiation: true })
      .withHubProtocol(new MessagePackHubProtocol())
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => reconnectDelay(context.previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    this.#connection.on('DocumentUpdated', (message: unknown) => this.#safely(() => this.#updates.emit(fromWire(message))));
    this.#connection.on('AwarenessUpdated', (message: unknown) => this.#safely(() => this.#awareness.emit(awarenessFromWire(message))));
  }

  get state(): TransportState {
    return this.#state;
  }

  start(): Promise<void> {
    this.#link ??= keepConnected(this.#connection, (state) => {
      this.#state = state;
      this.#states.emit(state);
    });
    return this.#link.ready();
  }

  async stop(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    await link?.stop();
  }

  async syncDocument(step1: DocumentSyncMessage): Promise<DocumentSyncAnswer> {
    return answerFromWire(await this.#invoke('SyncDocument', toWire(step1)));
  }

  async pushUpdate(update: DocumentSyncMessage): Promise<void> {
    await this.#invoke('PushDocumentUpdate', toWire(update));
  }

  async unsubscribe(documentId: string): Promise<void> {
    await this.#invoke('UnsubscribeDocument', documentId);
  }

  async pushAwareness(message: AwarenessMessage): Promise<void> {
    await this.#invoke('UpdateAwareness', awarenessToWire(message));
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

  async #invoke(method: string, ...args: unknown[]): Promise<unknown> {
    if (this.#connection.state !== HubConnectionState.Connected) {
      throw new Error('Not connected to the sync server.');
    }
    try {
      return await this.#connection.invoke(method, ...args);
    } catch (error) {
      throw refusalFrom(error) ?? error;
    }
  }

  #safely(deliver: () => void): void {
    try {
      deliver();
    } catch {
      // A malformed push is dropped; the next resync brings the document back in line.
    }
  }
}
