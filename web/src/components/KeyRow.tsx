import { useState } from 'preact/hooks';
import type { ApiKey } from '../api/types';
import { useApp } from '../context';
import { formatTime } from '../format';
import { useFocusOnMount } from '../hooks';
import { ErrorBanner } from './ErrorBanner';

export function keyStatus(key: ApiKey, now: Date): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) {
    return 'revoked';
  }
  return key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** One API key in a table (one's own keys, or any principal's on the admin page), with a confirmed revoke. */
export function KeyRow({ apiKey, onChanged }: { apiKey: ApiKey; onChanged: (key: ApiKey) => void }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const status = keyStatus(apiKey, new Date());

  const revoke = async () => {
    setError(undefined);
    try {
      onChanged(await api.keys.revoke(apiKey.id));
    } catch (failure) {
      setError(failure);
    } finally {
      setConfirming(false);
    }
  };

  return (
    <tr>
      <td>{apiKey.name}</td>
      <td>
        <code>{apiKey.prefix}</code>
      </td>
      <td>{formatTime(apiKey.createdAt)}</td>
      <td>{apiKey.lastUsedAt ? formatTime(apiKey.lastUsedAt) : 'never'}</td>
      <td>
        <span class={`badge key-${status}`}>{status}</span>
      </td>
      <td>
        {status === 'active' &&
          (confirming ? (
            <ConfirmRevoke name={apiKey.name} onConfirm={revoke} onCancel={() => setConfirming(false)} />
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirming(true)} aria-label={`Revoke key ${apiKey.name}`}>
              Revoke
            </button>
          ))}
        <ErrorBanner error={error} />
      </td>
    </tr>
  );
}

function ConfirmRevoke({ name, onConfirm, onCancel }: { name: string; onConfirm: () => void; onCancel: () => void }) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  return (
    <span class="actions">
      <button type="button" ref={confirm} class="danger" onClick={onConfirm} aria-label={`Confirm revoking key ${name}`}>
        Revoke now
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </span>
  );
}
