import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef, useState } from 'preact/hooks';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { PresenceBar } from '../components/PresenceBar';
import { editorTheme } from './editorTheme';
import { peersOf, type Peer, type PresenceUser } from './presence';
import type { SyncStatus } from './provider';
import { remoteCursors } from './remoteCursors';
import { openCollabSession } from './session';
import { SignalRSyncTransport } from './signalrTransport';

export interface CollabEditorViewProps {
  documentId: string;
  label: string;
  user: PresenceUser;
  /** Open without offering edits (the server decides too: readers and canon get a read-only answer). */
  readOnly?: boolean;
  /** Called when the server refused an edit and the document must be reopened from the server's copy. */
  onReload: () => void;
  /** Called once the editor has closed, after its last edits reached the server. */
  onClosed?: () => void;
}

/**
 * CodeMirror 6 bound to the document's Y.Text (y-codemirror.next), synced through the sync hub, with presence.
 * CodeMirror is mounted in a shadow root: there it styles itself with a constructable stylesheet, which our CSP
 * allows (it would otherwise inject a <style> element, which the CSP blocks).
 */
export default function CollabEditorView({ documentId, label, user, readOnly = false, onReload, onClosed }: CollabEditorViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const closed = useRef(onClosed);
  closed.current = onClosed;
  const [status, setStatus] = useState<SyncStatus>({ state: 'connecting', pending: false });
  const [peers, setPeers] = useState<Peer[]>([]);
  const [writable, setWritable] = useState(false);
  const [readOnlyReason, setReadOnlyReason] = useState<string | undefined>(undefined);

  useEffect(() => {
    const element = host.current;
    if (!element) {
      return;
    }
    const session = openCollabSession({ documentId, transport: new SignalRSyncTransport(), user, readOnly, ownsTransport: true });
    const editable = new Compartment();
    const editableWhen = (on: boolean) => [EditorState.readOnly.of(!on), EditorView.editable.of(on)];
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const view = new EditorView({
      root,
      parent: root,
      state: EditorState.create({
        doc: session.text.toString(),
        extensions: [
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
          EditorView.lineWrapping,
          editorTheme,
          placeholder('Write in markdown…'),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', 'data-testid': 'collab-content' }),
          editable.of(editableWhen(false)),
          yCollab(session.text, null),
          remoteCursors(session.text, session.awareness),
        ],
      }),
    });

    const showPeers = () => setPeers(peersOf(session.awareness.getStates(), session.doc.clientID, user.id));
    session.awareness.on('change', showPeers);
    const offStatus = session.provider.onStatus(setStatus);
    const offWritable = session.provider.onWritable((on) => {
      setWritable(on);
      setReadOnlyReason(session.provider.readOnlyReason);
      view.dispatch({ effects: editable.reconfigure(editableWhen(on)) });
    });
    setStatus(session.provider.status);
    // Leaving the page: send what is still gathering for the next push while the connection is up.
    const onPageHide = () => void session.provider.flushed();
    window.addEventListener('pagehide', onPageHide);

    return () => {
      window.removeEventListener('pagehide', onPageHide);
      session.awareness.off('change', showPeers);
      offStatus();
      offWritable();
      view.destroy();
      void session.close().finally(() => closed.current?.());
    };
  }, [documentId, readOnly, user.id]);

  return (
    <div class="collab-editor" data-testid="collab-editor" data-writable={writable}>
      <PresenceBar status={status} peers={peers} />
      {!writable && readOnlyReason && (
        <p class="notice" data-testid="collab-readonly">
          Read only: {readOnlyReason}
        </p>
      )}
      {status.state === 'failed' && (
        <div class="error" role="alert">
          <p>{status.message}</p>
          <button type="button" class="secondary" onClick={onReload}>
            Reload the document
          </button>
        </div>
      )}
      <div ref={host} class="collab-host" />
    </div>
  );
}
