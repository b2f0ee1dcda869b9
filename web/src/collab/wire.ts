// The sync hub's MessagePack contracts (sync-protocol/Cortex.SyncProtocol). A `[MessagePackObject]` with integer
// `[Key(n)]`s travels as a MessagePack array whose n-th element is key n, so these helpers convert between that
// array and a named object. Anything the server sends is checked before use.

/** y-protocols sync message types, numbered as in y-protocols' sync.js and `DocumentMessageKind`. */
export const MessageKind = {
  syncStep1: 0,
  syncStep2: 1,
  update: 2,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

export interface DocumentSyncMessage {
  documentId: string;
  kind: MessageKind;
  payload: Uint8Array;
}

/** Presence relay: y-protocols awareness update bytes for one document, forwarded verbatim by the server. */
export interface AwarenessMessage {
  documentId: string;
  payload: Uint8Array;
}

/** The server's answer to step 1: its step 2, its own state vector (so we can send what it lacks) and whether we may write. */
export interface DocumentSyncAnswer {
  step2: DocumentSyncMessage;
  serverStep1: DocumentSyncMessage;
  writable: boolean;
  readOnlyReason: string | undefined;
}

export type WireDocumentSyncMessage = [string, number, Uint8Array];
export type WireAwarenessMessage = [string, Uint8Array];

export function toWire(message: DocumentSyncMessage): WireDocumentSyncMessage {
  return [message.documentId, message.kind, message.payload];
}

export function awarenessToWire(message: AwarenessMessage): WireAwarenessMessage {
  return [message.documentId, message.payload];
}

export class WireFormatError extends Error {
  constructor(what: string) {
    super(`The sync server sent a malformed ${what}.`);
    this.name = 'WireFormatError';
  }
}

function bytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) {
    return value;
  }
  // Some decoders hand out an ArrayBuffer or a plain array of numbers.
  if (value instanceof ArrayBuffer) {
    return new Uint8Array(value);
  }
  return undefined;
}

export function fromWire(value: unknown): DocumentSyncMessage {
  if (!Array.isArray(value) || value.length < 3) {
    throw new WireFormatError('document sync message');
  }
  const [documentId, kind, payload] = value as unknown[];
  const data = bytes(payload);
  if (typeof documentId !== 'string' || (kind !== 0 && kind !== 1 && kind !== 2) || !data) {
    throw new WireFormatError('document sync message');
  }
  return { documentId, kind, payload: data };
}

export function awarenessFromWire(value: unknown): AwarenessMessage {
  if (!Array.isArray(value) || value.length < 2) {
    throw new WireFormatError('presence message');
  }
  const [documentId, payload] = value as unknown[];
  const data = bytes(payload);
  if (typeof documentId !== 'string' || !data) {
    throw new WireFormatError('presence message');
  }
  return { documentId, payload: data };
}

export function answerFromWire(value: unknown): DocumentSyncAnswer {
  if (!Array.isArray(value) || value.length < 3) {
    throw new WireFormatError('document sync answer');
  }
  const [step2, serverStep1, writable, reason] = value as unknown[];
  if (typeof writable !== 'boolean' || (reason !== undefined && reason !== null && typeof reason !== 'string')) {
    throw new WireFormatError('document sync answer');
  }
  return { step2: fromWire(step2), serverStep1: fromWire(serverStep1), writable, readOnlyReason: reason ?? undefined };
}
