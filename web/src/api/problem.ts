/** RFC 7807 problem details as core-server sends them (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Validation problems list the offending fields, keyed by camelCase field name. */
  errors?: Readonly<Record<string, readonly string[]>>;
}

/** Stable problem `type`s the UI switches on. */
export const ProblemTypes = {
  validation: 'urn:cortex:problem:validation',
  unauthenticated: 'urn:cortex:problem:unauthenticated',
  forbidden: 'urn:cortex:problem:forbidden',
  csrf: 'urn:cortex:problem:csrf',
  notFound: 'urn:cortex:problem:not-found',
  conflict: 'urn:cortex:problem:conflict',
  versionConflict: 'urn:cortex:problem:version-conflict',
  rateLimited: 'urn:cortex:problem:rate-limited',
  network: 'urn:cortex:problem:network',
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseErrors(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const errors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) {
      const texts = messages.filter((m): m is string => typeof m === 'string');
      if (texts.length > 0) {
        errors[field] = texts;
      }
    } else if (typeof messages === 'string') {
      errors[field] = [messages];
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

const statusTitles: Readonly<Record<number, string>> = {
  400: 'The request was not valid.',
  401: 'You are not signed in.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'This conflicts with a change made by someone else.',
  413: 'That is too large.',
  429: 'Too many requests; wait a moment and try again.',
  500: 'The server had an unexpected error.',
  502: 'The server is unreachable.',
  503: 'The server is temporarily unavailable.',
};

/** A fallback problem for a response without a usable problem body (a proxy's HTML page, an empty 500…). */
export function problemForStatus(status: number, statusText = ''): ProblemDetails {
  return {
    type: `urn:cortex:problem:http-${status}`,
    title: statusTitles[status] ?? (statusText || `The request failed (HTTP ${status}).`),
    status,
  };
}

/**
 * Reads a problem body defensively: anything the server sends is untrusted data, and a non-problem body
 * still yields a readable problem for its status.
 */
export function parseProblem(body: unknown, status: number, statusText = ''): ProblemDetails {
  const fallback = problemForStatus(status, statusText);
  if (!isRecord(body)) {
    return fallback;
  }
  const problem: ProblemDetails = {
    type: typeof body.type === 'string' && body.type !== '' ? body.type : fallback.type,
    title: typeof body.title === 'string' && body.title !== '' ? body.title : fallback.title,
    status: typeof body.status === 'number' ? body.status : status,
  };
  if (typeof body.detail === 'string' && body.detail !== '') {
    problem.detail = body.detail;
  }
  if (typeof body.instance === 'string') {
    problem.instance = body.instance;
  }
  const errors = parseErrors(body.errors);
  if (errors) {
    problem.errors = errors;
  }
  return problem;
}

/** The one sentence shown to a person: the detail when the server gave one, else the title. */
export function problemMessage(problem: ProblemDetails): string {
  return problem.detail ?? problem.title;
}

/** Field messages for a form, one string per field. */
export function fieldMessages(problem: ProblemDetails): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(problem.errors ?? {})) {
    out[field] = messages.join(' ');
  }
  return out;
}

/** Thrown by the API client for every non-2xx answer and for network failures. */
export class ApiError extends Error {
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problemMessage(problem));
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

export function networkProblem(): ProblemDetails {
  return {
    type: ProblemTypes.network,
    title: 'Cannot reach the Cortex server. Check your connection and try again.',
    status: 0,
  };
}
