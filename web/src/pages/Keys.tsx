import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from '../api/problem';
import type { ApiKey, CreatedApiKey } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { KeyRow } from '../components/KeyRow';
import { describedBy, Field } from '../components/Field';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFocusOnMount, useIdempotencyKey } from '../hooks';
import { hasErrors, validateKeyName, validatePassword, type Errors, type PasswordForm } from '../validation';

export function Keys() {
  const { api } = useApp();
  const session = useSession();
  const me = session.principal.id;
  const paged = usePaged<ApiKey>((cursor, signal) => api.keys.list(me, cursor, signal), (k) => k.id, [me]);
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);

  return (
    <section>
      <h1>API keys</h1>
      <p>
        Keys let scripts, agents and <code>cortexd</code> act as you (<strong>@{session.principal.handle}</strong>). A key is shown once,
        when it is created.
      </p>
      {created && <NewKey created={created} onDismiss={() => setCreated(undefined)} />}
      <CreateKey
        onCreated={(answer) => {
          setCreated(answer);
          paged.prepend(answer.apiKey);
        }}
      />
      <h2>Your keys</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Your API keys</caption>
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
      <ChangePassword />
    </section>
  );
}

function NewKey({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const secret = useFocusOnMount<HTMLInputElement>();
  const copy = async () => {
    await navigator.clipboard.writeText(created.key);
    setCopied(true);
  };
  return (
    <div class="panel notice" role="status">
      <h2>Key “{created.apiKey.name}” created</h2>
      <p>Copy it now: Cortex keeps only a hash and will not show it again.</p>
      <label for="new-key-secret">Your new key</label>
      <input id="new-key-secret" ref={secret} class="secret" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
      <div class="actions">
        <button type="button" class="secondary" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="secondary" onClick={onDismiss}>
          I have saved it
        </button>
      </div>
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const { api } = useApp();
  const session = useSession();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Errors<'name'>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, renewKey] = useIdempotencyKey();

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateKeyName(name);
    setErrors(found);
    setError(undefined);
    if (hasErrors(found)) {
      return;
    }
    setBusy(true);
    try {
      const created = await api.keys.create(session.principal.id, name, idempotencyKey);
      renewKey();
      setName('');
      onCreated(created);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        setErrors(fieldMessages(failure.problem));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel inline-form" onSubmit={submit} noValidate aria-label="Create an API key">
      <ErrorBanner error={error} />
      <Field id="key-name" label="New key name" error={errors.name}>
        <input {...describedBy('key-name', errors.name)} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}

function ChangePassword() {
  const { api } = useApp();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [form, setForm] = useState<PasswordForm>({ password: '', confirm: '' });
  const [errors, setErrors] = useState<Errors<keyof PasswordForm | 'currentPassword'>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validatePassword(form);
    setErrors(found);
    setError(undefined);
    setDone(false);
    if (hasErrors(found)) {
      return;
    }
    try {
      await api.session.setPassword(session.principal.id, form.password, current);
      setForm({ password: '', confirm: '' });
      setCurrent('');
      setDone(true);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        setErrors(fieldMessages(failure.problem));
      }
    }
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <ErrorBanner error={error} />
      {done && <p role="status">Password changed.</p>}
      <Field id="pw-current" label="Current password" error={errors.currentPassword}>
        <input {...describedBy('pw-current', errors.currentPassword)} type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      </Field>
      <Field id="pw-new" label="New password" error={errors.password} hint="At least 12 characters.">
        <input {...describedBy('pw-new', errors.password, true)} type="password" autocomplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
      </Field>
      <Field id="pw-confirm" label="Repeat the new password" error={errors.confirm}>
        <input {...describedBy('pw-confirm', errors.confirm)} type="password" autocomplete="new-password" value={form.confirm} onInput={(e) => setForm({ ...form, confirm: e.currentTarget.value })} />
      </Field>
      <button type="submit">Change password</button>
    </form>
  );
}
