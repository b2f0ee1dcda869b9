import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CollabEditorViewProps } from '../collab/CollabEditorView';
import { colourFor, type PresenceUser } from '../collab/presence';
import { useSession } from '../context';
import { ErrorBanner } from './ErrorBanner';

type View = (props: CollabEditorViewProps) => preact.JSX.Element;

// CodeMirror, yjs and SignalR are a separate chunk, fetched the first time an editor opens.
let loading: Promise<View> | undefined;
function loadView(): Promise<View> {
  loading ??= import('../collab/CollabEditorView').then((module) => module.default);
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

interface Props {
  /** `thread:{id}`, `draft:{id}` or `artifact:{id}:{version}` (see collab/documentIds.ts). */
  documentId: string;
  label: string;
  readOnly?: boolean;
  /** Called once the editor has closed, after its last edits reached the server. */
  onClosed?: () => void;
}

/** Live co-editing of a document body: everyone with it open sees each other's edits, cursors and names. */
export function CollabEditor({ documentId, label, readOnly = false, onClosed }: Props) {
  const session = useSession();
  const [View, setView] = useState<View | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const principal = session.principal;
  const user = useMemo<PresenceUser>(
    () => ({ id: principal.id, name: principal.displayName || principal.handle, handle: principal.handle, colour: colourFor(principal.id) }),
    [principal.id, principal.displayName, principal.handle],
  );

  useEffect(() => {
    loadView().then(
      (view) => setView(() => view),
      (failure: unknown) => setError(failure),
    );
  }, []);

  if (error) {
    return <ErrorBanner error={new Error('The editor could not be loaded. Check your connection and reload the page.')} />;
  }
  if (!View) {
    return (
      <p class="muted" role="status">
        Loading the editor…
      </p>
    );
  }
  return (
    <View
      key={`${documentId}#${generation}`}
      documentId={documentId}
      label={label}
      user={user}
      readOnly={readOnly}
      onReload={() => setGeneration((g) => g + 1)}
      {...(onClosed ? { onClosed } : {})}
    />
  );
}

/**
 * A button that opens the live editor in place, and closes it again; `onClose` lets the page reload the rendered
 * body the edits produced. Read-only viewers get the same live view, to follow others' edits.
 */
export function EditTogether({ documentId, label, readOnly = false, onClose }: Omit<Props, 'onClosed'> & { onClose: () => void }) {
  const [open, setOpen] = useState(false);
  // Set by "Done editing", so only that close (not a reload of the document) reloads the page's rendering.
  const closing = useRef(false);
  return (
    <div class="edit-together">
      <button
        type="button"
        class="secondary"
        aria-expanded={open}
        onClick={() => {
          closing.current = open;
          setOpen(!open);
        }}
      >
        {open ? (readOnly ? 'Stop watching' : 'Done editing') : readOnly ? 'Watch live edits' : 'Edit together'}
      </button>
      {open && (
        <CollabEditor
          documentId={documentId}
          label={label}
          readOnly={readOnly}
          onClosed={() => {
            if (closing.current) {
              closing.current = false;
              onClose();
            }
          }}
        />
      )}
    </div>
  );
}
