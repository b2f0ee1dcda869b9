import { EditorView } from '@codemirror/view';
import { palette } from './presence';

// The editor lives in a shadow root (see CollabEditorView), so the page's stylesheet does not reach it: its look is
// a CodeMirror theme, mounted by CodeMirror as a constructable stylesheet (allowed by our CSP, unlike <style>).
// Colours come from the page's CSS custom properties, which do cross the shadow boundary.
const presenceColours: Record<string, Record<string, string>> = {};
palette.forEach((colour, index) => {
  presenceColours[`.presence-colour-${index}`] = { '--presence': colour };
});

export const editorTheme = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--bg)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    fontSize: '0.95rem',
    minHeight: '12rem',
  },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
  // Room above the first line for the name labels on other people's carets.
  '.cm-content': { padding: '1.2rem 0 0.5rem', minHeight: '12rem', caretColor: 'var(--fg)' },
  '.cm-line': { padding: '0 0.75rem' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-editor[aria-readonly=true], .cm-content[aria-readonly=true]': { backgroundColor: 'var(--panel)' },
  '.remote-selection': { backgroundColor: 'color-mix(in srgb, var(--presence) 25%, transparent)' },
  '.remote-caret': {
    position: 'relative',
    borderLeft: '2px solid var(--presence)',
    marginLeft: '-1px',
    marginRight: '-1px',
  },
  '.remote-caret-name': {
    position: 'absolute',
    top: '-1.3em',
    left: '-2px',
    fontSize: '0.7rem',
    fontFamily: 'system-ui, sans-serif',
    lineHeight: '1.2',
    padding: '0 3px',
    borderRadius: '3px 3px 3px 0',
    whiteSpace: 'nowrap',
    color: '#fff',
    backgroundColor: 'var(--presence)',
    pointerEvents: 'none',
    userSelect: 'none',
  },
  ...presenceColours,
});
