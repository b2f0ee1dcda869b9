import type { EvidenceLink } from '../api/types';
import { evidenceTarget } from '../artifacts/evidence';
import { Link } from './Link';

/** The evidence a version or draft cites. Targets are shown as text; only threads and http(s) URLs are links. */
export function EvidenceList({ evidence }: { evidence: readonly EvidenceLink[] | undefined }) {
  if (!evidence || evidence.length === 0) {
    return <p class="muted">No evidence cited.</p>;
  }
  return (
    <ul class="evidence" aria-label="Evidence">
      {evidence.map((link, i) => {
        const target = evidenceTarget(link);
        return (
          <li key={i}>
            <span class="badge">{link.kind}</span>{' '}
            {target.kind === 'route' ? (
              <Link to={target.route}>
                <code>{link.target}</code>
              </Link>
            ) : target.kind === 'external' ? (
              <a href={target.url} rel="noopener noreferrer nofollow" target="_blank">
                {link.target}
              </a>
            ) : (
              <code>{link.target}</code>
            )}
          </li>
        );
      })}
    </ul>
  );
}
