import { useState } from 'preact/hooks';
import { roles, type Principal, type PrincipalKind, type Role } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { useIdempotencyKey } from '../hooks';
import { can } from '../permissions';
import { validatePassword, validatePrincipal, type PrincipalForm } from '../validation';

/** Admin page: principals, creating them, and setting a human's password. The server enforces admin-only. */
export function People() {
  const { api } = useApp();
  const session = useSession();
  const admin = can(session.principal.role, 'administer');
  const paged = usePaged<Principal>((cursor, signal) => api.principals.list(cursor, signal), (p) => p.id, []);

  return (
    <section>
      <h1>Principals</h1>
      {!admin && <p class="muted">Only admins manage principals; the server refuses these actions to other roles.</p>}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Principals</caption>
          <thead>
            <tr>
              <th scope="col">Handle</th>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <code>@{p.handle}</code>
                  {p.disabled && <span class="badge">disabled</span>}
                </td>
                <td>{p.displayName}</td>
                <td>{p.kind}</td>
                <td>
                  <span class="badge">{p.role}</span>
                </td>
                <td>
                  {p.kind === 'human' && <SetPassword principal={p} />}
                  {admin && (
                    <Link to={{ name: 'principalKeys', id: p.id }} class="button secondary">
                      Keys<span class="visually-hidden"> of @{p.handle}</span>
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore paged={paged} noun="principals" />
      {admin && <CreatePrincipal onCreated={paged.append} />}
    </section>
  );
}

function CreatePrincipal({ onCreated }: { onCreated: (p: Principal) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<PrincipalForm & { kind: PrincipalKind; role: Role }>({
    handle: '',
    displayName: '',
    kind: 'human',
    role: 'member',
  });
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const { errors, error, busy, submit } = useFormSubmit<keyof PrincipalForm | 'role' | 'kind'>(
    () => validatePrincipal(form),
    async () => {
      const created = await api.principals.create(form, idempotencyKey);
      renewKey();
      setForm({ handle: '', displayName: '', kind: 'human', role: 'member' });
      onCreated(created);
    },
  );

  // Agents always hold the agent role and only agents do; the form keeps the two in step.
  const setKind = (kind: PrincipalKind) => setForm({ ...form, kind, role: kind === 'agent' ? 'agent' : form.role === 'agent' ? 'member' : form.role });

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="create-principal">
      <h2 id="create-principal">Add a principal</h2>
      <ErrorBanner error={error} />
      <Field id="pr-handle" label="Handle" error={errors.handle}>
        <input {...describedBy('pr-handle', errors.handle)} autocapitalize="none" spellcheck={false} value={form.handle} onInput={(e) => setForm({ ...form, handle: e.currentTarget.value })} />
      </Field>
      <Field id="pr-name" label="Display name" error={errors.displayName}>
        <input {...describedBy('pr-name', errors.displayName)} value={form.displayName} onInput={(e) => setForm({ ...form, displayName: e.currentTarget.value })} />
      </Field>
      <Field id="pr-kind" label="Kind" error={errors.kind}>
        <select id="pr-kind" value={form.kind} onChange={(e) => setKind(e.currentTarget.value as PrincipalKind)}>
          <option value="human">human</option>
          <option value="agent">agent</option>
        </select>
      </Field>
      <Field id="pr-role" label="Role" error={errors.role}>
        <select id="pr-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
          {roles
            .filter((r) => (form.kind === 'agent' ? r === 'agent' : r !== 'agent'))
            .map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
        </select>
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add principal'}
      </button>
    </form>
  );
}

function SetPassword({ principal }: { principal: Principal }) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { errors, error, submit } = useFormSubmit<'password'>(
    () => {
      const found = validatePassword({ password, confirm: password });
      return found.password ? { password: found.password } : {};
    },
    async () => {
      await api.session.setPassword(principal.id, password, undefined);
      setPassword('');
      setOpen(false);
      setDone(true);
    },
  );
  const id = `pw-${principal.id}`;

  if (!open) {
    return (
      <span>
        {done && <span role="status">Password set. </span>}
        <button type="button" class="secondary" onClick={() => setOpen(true)} aria-label={`Set password for @${principal.handle}`}>
          Set password
        </button>
      </span>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Set password for @${principal.handle}`}>
      <ErrorBanner error={error} />
      <Field id={id} label={`New password for @${principal.handle}`} error={errors.password}>
        <input {...describedBy(id, errors.password)} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="submit">Save password</button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
