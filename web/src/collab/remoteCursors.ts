import { RangeSet, type Range } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { palette, type PresenceUser } from './presence';

// Other people's cursors and selections, after y-codemirror.next's yRemoteSelections, but coloured by class (our
// CSP allows no inline style attributes) and labelled with the person's name. Also publishes our own cursor.

class CaretWidget extends WidgetType {
  constructor(
    readonly colour: number,
    readonly name: string,
  ) {
    super();
  }

  override toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = `remote-caret presence-colour-${this.colour}`;
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'remote-caret-name';
    label.textContent = this.name;
    caret.append('\u2060', label, '\u2060');
    return caret;
  }

  override eq(other: CaretWidget): boolean {
    return other.colour === this.colour && other.name === this.name;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

function relative(value: unknown): Y.RelativePosition | null {
  try {
    return value ? Y.createRelativePositionFromJSON(value) : null;
  } catch {
    return null;
  }
}

export function remoteCursors(ytext: Y.Text, awareness: Awareness) {
  const doc = ytext.doc as Y.Doc;
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = RangeSet.of([]);
      readonly #listener: (change: { added: number[]; updated: number[]; removed: number[] }) => void;
      #destroyed = false;

      constructor(readonly view: EditorView) {
        this.#listener = ({ added, updated, removed }) => {
          if ([...added, ...updated, ...removed].some((id) => id !== doc.clientID)) {
            // Recompute on the next frame: dispatching inside another update is not allowed.
            queueMicrotask(() => {
              if (!this.#destroyed) {
                this.view.dispatch({});
              }
            });
          }
        };
        awareness.on('change', this.#listener);
      }

      destroy() {
        this.#destroyed = true;
        awareness.off('change', this.#listener);
      }

      update(update: ViewUpdate) {
        this.#publishOwnCursor(update);
        this.decorations = this.#build(update.view);
      }

      #publishOwnCursor(update: ViewUpdate) {
        const local = awareness.getLocalState();
        if (!local) {
          return;
        }
        const focused = update.view.hasFocus;
        if (focused) {
          const { anchor, head } = update.state.selection.main;
          const next = { anchor: Y.createRelativePositionFromTypeIndex(ytext, anchor), head: Y.createRelativePositionFromTypeIndex(ytext, head) };
          const current = local.cursor as { anchor: unknown; head: unknown } | null | undefined;
          if (!current || !Y.compareRelativePositions(relative(current.anchor), next.anchor) || !Y.compareRelativePositions(relative(current.head), next.head)) {
            awareness.setLocalStateField('cursor', next);
          }
        } else if (local.cursor) {
          awareness.setLocalStateField('cursor', null);
        }
      }

      #build(view: EditorView): DecorationSet {
        const ranges: Range<Decoration>[] = [];
        const length = view.state.doc.length;
        awareness.getStates().forEach((state, clientId) => {
          if (clientId === doc.clientID) {
            return;
          }
          const cursor = state.cursor as { anchor?: unknown; head?: unknown } | null | undefined;
          const user = state.user as Partial<PresenceUser> | undefined;
          const anchorRel = relative(cursor?.anchor);
          const headRel = relative(cursor?.head);
          if (!anchorRel || !headRel || !user) {
            return;
          }
          const anchor = Y.createAbsolutePositionFromRelativePosition(anchorRel, doc);
          const head = Y.createAbsolutePositionFromRelativePosition(headRel, doc);
          if (!anchor || !head || anchor.type !== ytext || head.type !== ytext) {
            return;
          }
          const colour = typeof user.colour === 'number' && user.colour >= 0 && user.colour < palette.length ? Math.floor(user.colour) : 0;
          const name = typeof user.name === 'string' ? user.name : 'Someone';
          const from = Math.min(anchor.index, head.index, length);
          const to = Math.min(Math.max(anchor.index, head.index), length);
          if (from < to) {
            ranges.push(Decoration.mark({ class: `remote-selection presence-colour-${colour}` }).range(from, to));
          }
          ranges.push(
            Decoration.widget({ side: head.index - anchor.index > 0 ? -1 : 1, widget: new CaretWidget(colour, name) }).range(Math.min(head.index, length)),
          );
        });
        return Decoration.set(ranges, true);
      }
    },
    { decorations: (plugin) => plugin.decorations },
  );
}
