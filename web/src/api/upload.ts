import { CsrfHeader } from './client';
import { ApiError, networkProblem, parseProblem, ProblemTypes } from './problem';
import type { Attachment } from './types';

export interface UploadOptions {
  file: Blob;
  fileName: string;
  /** The thread the attachment belongs to (its readers may download it). */
  threadId?: string;
  csrfToken: string | undefined;
  idempotencyKey: string;
  onProgress: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * POST /api/v1/attachments as multipart/form-data with XMLHttpRequest, the one browser API that reports upload
 * progress. Errors are ApiErrors carrying the server's problem details, like the fetch client's.
 */
export function uploadAttachment(options: UploadOptions): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ fileName: options.fileName });
    if (options.threadId) {
      query.set('threadId', options.threadId);
    }
    xhr.open('POST', `/api/v1/attachments?${query.toString()}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Idempotency-Key', options.idempotencyKey);
    if (options.csrfToken) {
      xhr.setRequestHeader(CsrfHeader, options.csrfToken);
    }
    xhr.upload.onprogress = (event) => options.onProgress(event.loaded, event.lengthComputable ? event.total : options.file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress(options.file.size, options.file.size);
        resolve(body as Attachment);
      } else {
        reject(new ApiError(parseProblem(body, xhr.status, xhr.statusText)));
      }
    };
    xhr.onerror = () => reject(new ApiError(networkProblem()));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', options.file, options.fileName);
    xhr.send(form);
  });
}

/** A 401, or a refused CSRF token: the session may have been renewed in another tab, so reload it and retry once. */
export function sessionMayBeStale(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.problem.type === ProblemTypes.csrf);
}
