import { ErrorBanner } from '../components/ErrorBanner';
import { KeyManager } from '../components/KeyManager';
import { Link } from '../components/Link';
import { useApp, useSession } from '../context';
import { useLoad } from '../hooks';
import { can } from '../permissions';

/** Admin page: the API keys of any principal (an agent's keys are made here), with revoke. The server enforces admin-only. */
export function AdminKeys({ id }: { id: string }) {
  const { api } = useApp();
  const session = useSession();
  const admin = can(session.principal.role, 'administer');
  const [principal] = useLoad(() => api.principals.get(id), [id]);
  const who = principal.state === 'loaded' ? `@${principal.value.handle}` : id;

  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'people' }}>Principals</Link> / <span aria-current="page">Keys of {who}</span>
      </nav>
      <h1>API keys of {who}</h1>
      {principal.state === 'failed' && <ErrorBanner error={principal.error} />}
      {principal.state === 'loaded' && (
        <p class="muted">
          {principal.value.displayName} · {principal.value.kind} · <span class="badge">{principal.value.role}</span>
          {principal.value.disabled && <span class="badge">disabled</span>}
        </p>
      )}
      {!admin && <p class="muted">Only admins manage other principals' keys; the server refuses it to other roles.</p>}
      <KeyManager
        principalId={id}
        canCreate={admin}
        text={{
          idPrefix: 'admin-key',
          owner: who,
          listHeading: 'Keys',
          nameLabel: 'Key name',
          formLabel: 'Create a key for this principal',
          secretLabel: 'The new key',
          secretAdvice: 'Hand it over now:',
        }}
      />
    </section>
  );
}
