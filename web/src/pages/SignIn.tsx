import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { useApp } from '../context';
import { useFormSubmit } from '../formSubmit';
import { validateSignIn, type SignInForm } from '../validation';

export function SignIn({ next }: { next: string | undefined }) {
  const { api, setSession, navigate } = useApp();
  const [form, setForm] = useState<SignInForm>({ handle: '', password: '' });
  const { errors, error, busy, submit } = useFormSubmit<keyof SignInForm>(
    () => validateSignIn(form),
    async () => {
      const session = await api.session.signIn(form.handle.trim(), form.password);
      setSession(session);
      navigate(next ?? '/', { replace: true });
      return 'leaving';
    },
  );

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
