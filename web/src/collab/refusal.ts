/**
 * The sync server answered a call with an error of its own (no access, unknown document, read-only): the
 * connection is fine and retrying the same call would fail again. Connection failures are plain Errors.
 */
export class HubRefusal extends Error {
  /** The server's reason code when it sent one (`forbidden: …` → `forbidden`). */
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.name = 'HubRefusal';
    this.code = code;
  }
}

// SignalR reports a server HubException as "An unexpected error occurred invoking 'X' on the server. HubException: <message>".
const hubException = /HubException:\s*(.*)$/s;
const codePrefix = /^([a-z_]+):\s*(.*)$/s;

/** Classifies an invocation error: a HubRefusal with the server's message and code, or undefined for connection trouble. */
export function refusalFrom(error: unknown): HubRefusal | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const match = hubException.exec(error.message);
  if (!match) {
    return /error occurred invoking/i.test(error.message) ? new HubRefusal('The sync server could not handle the request.') : undefined;
  }
  const text = (match[1] ?? '').trim();
  const coded = codePrefix.exec(text);
  return coded ? new HubRefusal(humanize(coded[2] ?? text), coded[1]) : new HubRefusal(humanize(text));
}

function humanize(text: string): string {
  const sentence = text.trim() || 'The sync server refused the request.';
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
