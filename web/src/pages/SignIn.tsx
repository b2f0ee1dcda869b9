import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from '../api/problem';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { useApp } from '../context';
import { hasErrors, validateSignIn, type Errors, type SignInForm } from '../validation';

export function SignIn({ next }: { next: string | undefined }) {
  const { api, setSession, navigate } = useApp();
  const [form, setForm] = useState<SignInForm>({ handle: '', password: '' });
  const [errors, setErrors] = useState<Errors<keyof SignInForm>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateSignIn(form);
    setErrors(found);
    setError(undefined);
    if (hasErrors(found)) {
      return;
    }
    setBusy(true);
    try {
      const session = await api.session.signIn(form.handle.trim(), form.password);
      setSession(session);
      navigate(next ?? '/', { replace: true });
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        setErrors(fieldMessages(failure.problem));
      }
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>Sign in to Cortex</h1>
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <ErrorBanner error={error} />
        <Field id="handle" label="Handle" error={errors.handle}>
          <input
            {...describedBy('handle', errors.handle)}
            name="handle"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={form.handle}
            onInput={(e) => setForm({ ...form, handle: e.currentTarget.value })}
          />
        </Field>
        <Field id="password" label="Password" error={errors.password}>
          <input
            {...describedBy('password', errors.password)}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={form.password}
            onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="muted">
        No password yet? An admin sets one with <code>PUT /api/v1/principals/&#123;id&#125;/password</code>.
      </p>
    </section>
  );
}
