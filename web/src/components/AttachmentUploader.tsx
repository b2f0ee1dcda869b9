import { useRef, useState } from 'preact/hooks';
import type { Attachment } from '../api/types';
import { sessionMayBeStale, uploadAttachment } from '../api/upload';
import { useApp } from '../context';
import { ErrorBanner } from './ErrorBanner';
import { ProgressBar } from './ProgressBar';

function formatSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} kB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Adds files to a thread, one at a time, with a progress bar and a Cancel button while a file uploads. */
export function AttachmentUploader({ threadId }: { threadId: string }) {
  const { api, session, setSession } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<{ name: string; loaded: number; total: number } | undefined>(undefined);
  const [uploaded, setUploaded] = useState<Attachment[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);

  const upload = async (event: Event) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setError(new Error('Choose a file first.'));
      return;
    }
    setError(undefined);
    const abort = new AbortController();
    controller.current = abort;
    const idempotencyKey = crypto.randomUUID();
    setProgress({ name: file.name, loaded: 0, total: file.size });
    const send = (csrfToken: string | undefined) =>
      uploadAttachment({
        file,
        fileName: file.name,
        threadId,
        csrfToken,
        idempotencyKey,
        signal: abort.signal,
        onProgress: (loaded, total) => setProgress({ name: file.name, loaded, total }),
      });
    try {
      let attachment: Attachment;
      try {
        attachment = await send(session?.csrfToken);
      } catch (failure) {
        if (!sessionMayBeStale(failure)) {
          throw failure;
        }
        const fresh = await api.session.get();
        setSession(fresh);
        attachment = await send(fresh.csrfToken);
      }
      setUploaded((list) => [attachment, ...list.filter((a) => a.id !== attachment.id)]);
      if (input.current) {
        input.current.value = '';
      }
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) {
        setError(failure);
      }
    } finally {
      controller.current = undefined;
      setProgress(undefined);
    }
  };

  return (
    <form class="panel attachments" onSubmit={upload} aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      <ErrorBanner error={error} />
      <div class="field">
        <label for="attachment-file">File to attach</label>
        <input id="attachment-file" type="file" ref={input} disabled={progress !== undefined} />
      </div>
      {progress ? (
        <div class="upload-progress" data-testid="upload-progress">
          <ProgressBar label={`Uploading ${progress.name}`} value={progress.loaded} max={progress.total} />
          <button type="button" class="secondary" onClick={() => controller.current?.abort()}>
            Cancel upload
          </button>
        </div>
      ) : (
        <button type="submit">Upload</button>
      )}
      {uploaded.length > 0 && (
        <ul aria-label="Uploaded files" data-testid="uploaded">
          {uploaded.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/attachments/${encodeURIComponent(a.id)}/content`}>{a.fileName}</a> <span class="muted">({formatSize(a.size)})</span>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
