import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { setLocalUser, type PresenceUser } from './presence';
import { DocumentProvider } from './provider';
import type { SyncTransport } from './transport';

/** The Y.Text every document body lives in (the server materializes its text as the entity's body). */
export const bodyTextName = 'body';

/** One open document: its Y.Doc (always starting empty: the server seeds it), presence and provider. */
export interface CollabSession {
  doc: Y.Doc;
  text: Y.Text;
  awareness: Awareness;
  provider: DocumentProvider;
  close: () => Promise<void>;
}

export function openCollabSession(options: {
  documentId: string;
  transport: SyncTransport;
  user: PresenceUser;
  readOnly?: boolean;
  /** How long local edits gather before they are pushed (see DocumentProvider). */
  pushDelayMs?: number;
  /** Stops the transport on close when the session owns it. */
  ownsTransport?: boolean;
}): CollabSession {
  const doc = new Y.Doc();
  const text = doc.getText(bodyTextName);
  const awareness = new Awareness(doc);
  setLocalUser(awareness, options.user);
  const provider = new DocumentProvider({
    doc,
    documentId: options.documentId,
    transport: options.transport,
    awareness,
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.pushDelayMs !== undefined ? { pushDelayMs: options.pushDelayMs } : {}),
  });
  void provider.connect();
  return {
    doc,
    text,
    awareness,
    provider,
    close: async () => {
      await provider.destroy();
      awareness.destroy();
      if (options.ownsTransport) {
        await options.transport.stop();
      }
      doc.destroy();
    },
  };
}
