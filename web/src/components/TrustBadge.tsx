/** How far content is trusted, strongest first, as ranking orders it (DESIGN: canon > accepted > reviewed > …). */
const known: Readonly<Record<string, string>> = {
  canon: 'Canon: accepted by a reviewer through the canon gate',
  accepted: 'Accepted by a reviewer',
  reviewed: 'Reviewed',
  proposed: 'Proposed, not yet reviewed',
  observation: 'Raw observation, not reviewed',
  quarantined: 'Quarantined: hidden from agents until a reviewer lifts it',
  superseded: 'Superseded by a later version',
  stale: 'Past its review date',
};

/** A trust level as a badge; the canon badge is the one people look for. The level is shown as text, never markup. */
export function TrustBadge({ trust }: { trust: string | null | undefined }) {
  if (!trust) {
    return null;
  }
  const safe = /^[a-z-]+$/.test(trust) ? trust : 'other';
  return (
    <span class={`badge trust trust-${safe}`} title={known[trust] ?? trust} data-testid={trust === 'canon' ? 'canon-badge' : undefined}>
      {trust === 'canon' ? '★ canon' : trust}
    </span>
  );
}
