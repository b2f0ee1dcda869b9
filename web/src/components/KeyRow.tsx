import { useState } from 'preact/hooks';
import type { ApiKey, RotatedApiKey } from '../api/types';
import { useApp } from '../context';
import { formatTime } from '../format';
import { useFocusOnMount, useIdempotencyKey } from '../hooks';
import { ErrorBanner } from './ErrorBanner';

export function keyStatus(key: ApiKey, now: Date): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) {
    return 'revoked';
  }
  return key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** How long a rotated-away key keeps working, so whatever uses it can move to the new one. */
const rotationOverlaps: ReadonlyArray<readonly [seconds: number, label: string]> = [
  [3_600, '1 hour'],
  [86_400, '1 day'],
  [7 * 86_400, '7 days'],
  [0, 'no overlap (stops now)'],
];

type Confirming = 'revoke' | 'rotate' | undefined;

/**
 * One API key in a table (one's own keys, or any principal's on the admin page), with a confirmed revoke and a
 * confirmed rotation (a new key now, the old one expiring after the chosen overlap).
 */
export function KeyRow({ apiKey, onChanged, onRotated }: { apiKey: ApiKey; onChanged: (key: ApiKey) => void; onRotated: (rotated: RotatedApiKey) => void }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState<Confirming>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const status = keyStatus(apiKey, new Date());

  const act = async (action: () => Promise<void>) => {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setConfirming(undefined);
    }
  };
  const revoke = () => act(async () => onChanged(await api.keys.revoke(apiKey.id)));
  const rotate = (overlapSeconds: number) =>
    act(async () => {
      const rotated = await api.keys.rotate(apiKey.id, overlapSeconds, idempotencyKey);
      renewKey();
      onRotated(rotated);
    });

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
        {status === 'active' && apiKey.expiresAt && <span class="muted"> until {formatTime(apiKey.expiresAt)}</span>}
      </td>
      <td>
        {status === 'active' && confirming === 'revoke' && (
          <ConfirmRevoke name={apiKey.name} onConfirm={revoke} onCancel={() => setConfirming(undefined)} />
        )}
        {status === 'active' && confirming === 'rotate' && (
          <ConfirmRotate keyId={apiKey.id} name={apiKey.name} onConfirm={rotate} onCancel={() => setConfirming(undefined)} />
        )}
        {status === 'active' && confirming === undefined && (
          <span class="actions">
            <button type="button" class="secondary" onClick={() => setConfirming('rotate')} aria-label={`Rotate key ${apiKey.name}`}>
              Rotate
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming('revoke')} aria-label={`Revoke key ${apiKey.name}`}>
              Revoke
            </button>
          </span>
        )}
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

function ConfirmRotate({ keyId, name, onConfirm, onCancel }: { keyId: string; name: string; onConfirm: (overlapSeconds: number) => void; onCancel: () => void }) {
  const [overlap, setOverlap] = useState(86_400);
  const choice = useFocusOnMount<HTMLSelectElement>();
  const id = `rotate-${keyId}`;
  return (
    <span class="actions">
      <label for={id}>Old key {name} keeps working for</label>
      <select id={id} ref={choice} value={overlap} onChange={(e) => setOverlap(Number(e.currentTarget.value))}>
        {rotationOverlaps.map(([seconds, label]) => (
          <option key={seconds} value={seconds}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" class="danger" onClick={() => onConfirm(overlap)} aria-label={`Confirm rotating key ${name}`}>
        Rotate now
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </span>
  );
}
