import { useState } from 'preact/hooks';
import { useApp } from '../context';
import { ErrorBanner } from './ErrorBanner';
import { describedBy } from './Field';
import { ServerHtml } from './ServerHtml';

interface Props {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  rows?: number;
}

/** A markdown textarea with a Preview tab; the preview is rendered and sanitized by the server. */
export function MarkdownEditor({ id, label, value, onInput, error, rows = 8 }: Props) {
  const { api } = useApp();
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [preview, setPreview] = useState<{ source: string; html: string } | undefined>(undefined);
  const [previewError, setPreviewError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);

  const showPreview = async () => {
    setMode('preview');
    setPreviewError(undefined);
    if (preview?.source === value) {
      return;
    }
    setLoading(true);
    try {
      const answer = await api.markdown.preview(value);
      setPreview({ source: value, html: answer.html });
    } catch (failure) {
      setPreviewError(failure);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div class={`field markdown-editor${error ? ' invalid' : ''}`}>
      <div class="editor-head">
        <label for={id}>{label}</label>
        <div class="tabs" role="group" aria-label={`${label}: write or preview`}>
          <button type="button" class="tab" aria-pressed={mode === 'write'} onClick={() => setMode('write')}>
            Write
          </button>
          <button type="button" class="tab" aria-pressed={mode === 'preview'} onClick={showPreview}>
            Preview
          </button>
        </div>
      </div>
      <textarea
        {...describedBy(id, error, true)}
        hidden={mode !== 'write'}
        rows={rows}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {mode === 'preview' && (
        <div class="preview" aria-live="polite" data-testid={`${id}-preview`}>
          {loading && <p class="muted">Rendering preview…</p>}
          <ErrorBanner error={previewError} />
          {!loading && preview && <ServerHtml html={preview.html} />}
        </div>
      )}
      <p class="hint" id={`${id}-hint`}>
        Markdown. HTML is sanitized by the server.
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
