import { ApiError, networkProblem, parseProblem, ProblemTypes } from './problem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  body?: unknown;
  query?: Readonly<Record<string, QueryValue>>;
  /** For POSTs: reuse one key across retries of the same submission so the server applies it once. */
  idempotencyKey?: string;
  /** For POSTs that write nothing (sign-in, previews): send no Idempotency-Key, so no answer is stored. */
  idempotent?: false;
  /** Sent as `If-Match: "n"`: the server applies the request only if the resource is still at that version. */
  ifMatch?: number;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to `/api/v1` on the page's own origin. */
  baseUrl?: string;
  /** The session's CSRF token, sent on unsafe methods; undefined before sign-in. */
  csrfToken?: () => string | undefined;
  /** Defaults to a random UUID. */
  newIdempotencyKey?: () => string;
  /** Called on a 401 that a session reload did not cure, so the app can drop its session and show sign-in. */
  onUnauthenticated?: () => void;
  /**
   * Reloads the session and says whether one is live. Called once when the server answers 401 or refuses a
   * write for a stale CSRF token: the cookie may have been replaced meanwhile (signing in again in another tab
   * ends the old session, and requests sent with the old cookie come back 401). The request is then retried
   * once; only when no session is live is the 401 final.
   */
  refreshSession?: () => Promise<boolean>;
}

export const CsrfHeader = 'X-CSRF-Token';

export interface Answer<T> {
  status: number;
  body: T;
}

const unsafe: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Joins path and query; values that are null or undefined are left out. */
export function buildUrl(baseUrl: string, path: string, query?: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined) {
      params.append(name, String(value));
    }
  }
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

/** Encodes one path segment (a slug or an id) so user data can never change the path's shape. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
}

export class ApiClient {
  readonly #fetch: typeof fetch;
  readonly #baseUrl: string;
  readonly #csrfToken: () => string | undefined;
  readonly #newIdempotencyKey: () => string;
  readonly #onUnauthenticated: () => void;
  readonly #refreshSession: (() => Promise<boolean>) | undefined;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#baseUrl = options.baseUrl ?? '/api/v1';
    this.#csrfToken = options.csrfToken ?? (() => undefined);
    this.#newIdempotencyKey = options.newIdempotencyKey ?? (() => crypto.randomUUID());
    this.#onUnauthenticated = options.onUnauthenticated ?? (() => undefined);
    this.#refreshSession = options.refreshSession;
  }

  /** The same client (session, CSRF, refresh) for another path prefix, such as the server's `/admin` operations. */
  withBaseUrl(baseUrl: string): ApiClient {
    return new ApiClient({ ...this.#options, baseUrl });
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, options);
  }

  put<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, options);
  }

  patch<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, options);
  }

  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.exchange<T>(method, path, options)).body;
  }

  /** Like request, with the status, for answers whose meaning depends on it (201 created vs 202 held for review). */
  async exchange<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    // One key for the first try and the retry, so a retried POST is still applied once.
    const idempotencyKey = method === 'POST' && options.idempotent !== false ? (options.idempotencyKey ?? this.#newIdempotencyKey()) : undefined;
    try {
      return await this.#send<T>(method, path, options, idempotencyKey);
    } catch (error) {
      if (!(error instanceof ApiError) || !this.#sessionMayBeStale(error, method)) {
        throw error;
      }
      if (this.#refreshSession && (await this.#refreshSession().catch(() => false))) {
        return this.#sendOrDrop<T>(method, path, options, idempotencyKey);
      }
      if (error.status === 401) {
        this.#onUnauthenticated();
      }
      throw error;
    }
  }

  #sessionMayBeStale(error: ApiError, method: HttpMethod): boolean {
    return error.status === 401 || (error.problem.type === ProblemTypes.csrf && unsafe.has(method));
  }

  async #sendOrDrop<T>(method: HttpMethod, path: string, options: RequestOptions, idempotencyKey: string | undefined): Promise<Answer<T>> {
    try {
      return await this.#send<T>(method, path, options, idempotencyKey);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.#onUnauthenticated();
      }
      throw error;
    }
  }

  async #send<T>(method: HttpMethod, path: string, options: RequestOptions, idempotencyKey: string | undefined): Promise<Answer<T>> {
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      init.body = JSON.stringify(options.body);
    }
    if (unsafe.has(method)) {
      const token = this.#csrfToken();
      if (token) {
        headers.set(CsrfHeader, token);
      }
    }
    if (idempotencyKey !== undefined) {
      headers.set('Idempotency-Key', idempotencyKey);
    }
    if (options.ifMatch !== undefined) {
      headers.set('If-Match', `"${options.ifMatch}"`);
    }
    if (options.signal) {
      init.signal = options.signal;
    }

    let response: Response;
    try {
      response = await this.#fetch(buildUrl(this.#baseUrl, path, options.query), init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(networkProblem());
    }

    const body: unknown = isJson(response.headers.get('Content-Type')) ? await response.json().catch(() => undefined) : undefined;
    if (!response.ok) {
      throw new ApiError(parseProblem(body, response.status, response.statusText));
    }
    return { status: response.status, body: body as T };
  }
}
