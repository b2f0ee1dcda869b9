import type { Peer } from '../collab/presence';
import type { SyncStatus } from '../collab/provider';

/** The words for a sync status; exported for tests. */
export function describeStatus(status: SyncStatus): string {
  switch (status.state) {
    case 'connecting':
      return status.pending ? 'Reconnecting… your edits are kept' : 'Connecting…';
    case 'syncing':
      return 'Syncing…';
    case 'synced':
      return status.pending ? 'Saving…' : 'Saved · live';
    case 'offline':
      return status.pending ? 'Offline · your edits are kept and merge when the connection returns' : 'Offline · reconnecting';
    case 'failed':
      return status.message;
  }
}

/** Connection state and who else has the document open, with their cursor colours. */
export function PresenceBar({ status, peers }: { status: SyncStatus; peers: readonly Peer[] }) {
  return (
    <div class="presence-bar">
      <span class={`sync-status sync-${status.state}`} role="status" data-testid="collab-status" data-state={status.state} data-pending={status.pending}>
        <span class="sync-dot" aria-hidden="true" />
        {describeStatus(status)}
      </span>
      <ul class="presence" aria-label="Also editing" data-testid="presence">
        {peers.map((peer) => (
          <li key={peer.id} class={`presence-peer presence-colour-${peer.colour}`} title={`@${peer.handle}${peer.active ? ' (typing here)' : ''}`}>
            <span class="presence-swatch" aria-hidden="true" />
            {peer.name}
            {peer.active && <span class="visually-hidden"> (in the text)</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
