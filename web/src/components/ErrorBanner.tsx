import { ApiError, problemMessage } from '../api/problem';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return problemMessage(error.problem);
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** A problem shown to a person; screen readers announce it. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (error === undefined || error === null) {
    return null;
  }
  const fields = error instanceof ApiError ? Object.entries(error.problem.errors ?? {}) : [];
  return (
    <div class="error" role="alert">
      <p>{errorMessage(error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field}>
              <strong>{field}</strong>: {messages.join(' ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
