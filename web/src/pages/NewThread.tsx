import { useState } from 'preact/hooks';
import { threadKinds, type Draft, type ThreadKind } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { MarkdownEditor } from '../components/MarkdownEditor';
import { useApp } from '../context';
import { useFormSubmit } from '../formSubmit';
import { useIdempotencyKey, useLoad } from '../hooks';
import { describeTemplate, missingSections, templateFor, withSections } from '../templates/rules';
import { validateThread, type Errors, type ThreadForm } from '../validation';

export function NewThread({ slug }: { slug: string }) {
  const { api, navigate } = useApp();
  const [form, setForm] = useState<ThreadForm & { kind: ThreadKind }>({ title: '', body: '', kind: 'discussion' });
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [held, setHeld] = useState<Draft | undefined>(undefined);
  const [templates] = useLoad((signal) => api.templates.list(slug, signal), [slug]);
  const template = templates.state === 'loaded' ? templateFor(templates.value, form.kind) : undefined;
  const sections = template?.requiredSections ?? [];
  const missing = missingSections(form.body, sections);

  const { errors, error, busy, submit } = useFormSubmit<keyof ThreadForm>(
    () => {
      const found: Errors<keyof ThreadForm> = { ...validateThread(form) };
      if (!found.body && missing.length > 0) {
        found.body = `The ${form.kind} template requires the sections: ${missing.join(', ')}.`;
      }
      return found;
    },
    async () => {
      const answer = await api.threads.create(slug, form, idempotencyKey);
      renewKey();
      if (answer.held) {
        setHeld(answer.draft);
        return;
      }
      navigate({ name: 'thread', id: answer.item.id });
      return 'leaving';
    },
  );

  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'subcortexes' }}>Subcortexes</Link> / <Link to={{ name: 'subcortex', slug }}>{slug}</Link> /{' '}
        <span aria-current="page">New thread</span>
      </nav>
      <h1>New thread</h1>
      {held && (
        <div class="panel notice" role="status">
          <p>
            Your thread “{held.title}” was submitted for review (<Link to={{ name: 'draft', id: held.id }}>see the draft</Link>). It appears in{' '}
            <Link to={{ name: 'subcortex', slug }}>{slug}</Link> once a reviewer approves it.
          </p>
        </div>
      )}
      <form onSubmit={submit} noValidate aria-label="New thread">
        <ErrorBanner error={error} />
        <Field id="thread-title" label="Title" error={errors.title}>
          <input
            {...describedBy('thread-title', errors.title)}
            required
            maxLength={300}
            value={form.title}
            onInput={(e) => setForm({ ...form, title: e.currentTarget.value })}
          />
        </Field>
        <Field id="thread-kind" label="Kind">
          <select id="thread-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as ThreadKind })}>
            {threadKinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        {template && (
          <div class="panel notice" data-testid="thread-template">
            <p>
              The {form.kind === template.kind ? form.kind : 'subcortex'} template: {describeTemplate(template).join(' ')}
            </p>
            {missing.length > 0 && (
              <button type="button" class="secondary" onClick={() => setForm({ ...form, body: withSections(form.body, sections) })}>
                Add the required headings
              </button>
            )}
          </div>
        )}
        <MarkdownEditor id="thread-body" label="Body" value={form.body} error={errors.body} onInput={(body) => setForm({ ...form, body })} rows={12} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create thread'}
        </button>
      </form>
    </section>
  );
}
