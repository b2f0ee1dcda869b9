import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from '../api/problem';
import type { ApiKey, CreatedApiKey } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { KeyRow } from '../components/KeyRow';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useIdempotencyKey, useLoad } from '../hooks';
import { can } from '../permissions';
import { hasErrors, validateKeyName, type Errors } from '../validation';

/** Admin page: the API keys of any principal (an agent's keys are made here), with revoke. The server enforces admin-only. */
export function AdminKeys({ id }: { id: string }) {
  const { api } = useApp();
  const session = useSession();
  const admin = can(session.principal.role, 'administer');
  const [principal] = useLoad(() => api.principals.get(id), [id]);
  const paged = usePaged<ApiKey>((cursor, signal) => api.keys.list(id, cursor, signal), (k) => k.id, [id]);
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);
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
      {created && (
        <div class="panel notice" role="status">
          <h2>Key “{created.apiKey.name}” created for {who}</h2>
          <p>Hand it over now: Cortex keeps only a hash and will not show it again.</p>
          <label for="admin-new-key">The new key</label>
          <input id="admin-new-key" class="secret" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="secondary" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      {admin ? (
        <CreateFor
          principalId={id}
          onCreated={(answer) => {
            setCreated(answer);
            paged.prepend(answer.apiKey);
          }}
        />
      ) : (
        <p class="muted">Only admins manage other principals' keys; the server refuses it to other roles.</p>
      )}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">API keys of {who}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((key) => (
              <KeyRow key={key.id} apiKey={key} onChanged={(k) => paged.replaceAll(paged.list.items.map((i) => (i.id === k.id ? k : i)))} />
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore paged={paged} noun="keys" />
    </section>
  );
}

function CreateFor({ principalId, onCreated }: { principalId: string; onCreated: (created: CreatedApiKey) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Errors<'name'>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [idempotencyKey, renewKey] = useIdempotencyKey();

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateKeyName(name);
    setErrors(found);
    setError(undefined);
    if (hasErrors(found)) {
      return;
    }
    try {
      const created = await api.keys.create(principalId, name, idempotencyKey);
      renewKey();
      setName('');
      onCreated(created);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        setErrors(fieldMessages(failure.problem));
      }
    }
  };

  return (
    <form class="panel inline-form" onSubmit={submit} noValidate aria-label="Create a key for this principal">
      <ErrorBanner error={error} />
      <Field id="admin-key-name" label="Key name" error={errors.name}>
        <input {...describedBy('admin-key-name', errors.name)} maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <button type="submit">Create key</button>
    </form>
  );
}
