import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { KeyManager } from '../components/KeyManager';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { validatePassword, type PasswordForm } from '../validation';

export function Keys() {
  const session = useSession();
  return (
    <section>
      <h1>API keys</h1>
      <p>
        Keys let scripts, agents and <code>cortexd</code> act as you (<strong>@{session.principal.handle}</strong>). A key is shown once,
        when it is created.
      </p>
      <KeyManager
        principalId={session.principal.id}
        canCreate
        text={{
          idPrefix: 'own-key',
          owner: 'you',
          listHeading: 'Your keys',
          nameLabel: 'New key name',
          formLabel: 'Create an API key',
          secretLabel: 'Your new key',
          secretAdvice: 'Copy it now:',
        }}
      />
      <ChangePassword />
    </section>
  );
}

function ChangePassword() {
  const { api } = useApp();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [form, setForm] = useState<PasswordForm>({ password: '', confirm: '' });
  const [done, setDone] = useState(false);
  const { errors, error, submit } = useFormSubmit<keyof PasswordForm | 'currentPassword'>(
    () => {
      setDone(false);
      return validatePassword(form);
    },
    async () => {
      await api.session.setPassword(session.principal.id, form.password, current);
      setForm({ password: '', confirm: '' });
      setCurrent('');
      setDone(true);
    },
  );

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
