import { useState } from 'preact/hooks';
import type { Subcortex } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { useIdempotencyKey } from '../hooks';
import { can } from '../permissions';
import { slugify, validateSubcortex, type SubcortexForm } from '../validation';

export function Subcortexes() {
  const { api } = useApp();
  const session = useSession();
  const paged = usePaged<Subcortex>((cursor, signal) => api.subcortexes.list(cursor, signal), (s) => s.id, []);

  const proposed = paged.list.items.filter((s) => s.state === 'proposed');
  return (
    <section>
      <h1>Subcortexes</h1>
      {proposed.length > 0 && can(session.principal.role, 'activateSubcortex') && (
        <div class="panel notice" data-testid="proposed-subcortexes">
          <h2>Proposed, awaiting your decision</h2>
          <ul class="list" aria-label="Proposed subcortexes">
            {proposed.map((s) => (
              <li key={s.id}>
                <Link to={{ name: 'subcortex', slug: s.slug }}>{s.name}</Link> <code>{s.slug}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul class="cards" aria-label="Subcortexes">
        {paged.list.items.map((s) => (
          <li key={s.id} class="card">
            <h2>
              <Link to={{ name: 'subcortex', slug: s.slug }}>{s.name}</Link>
            </h2>
            <p class="muted">
              <code>{s.slug}</code> · <span class={`badge state-${s.state}`}>{s.state}</span>
              {s.isPrivate && <span class="badge">private</span>}
            </p>
            {s.description && <p>{s.description}</p>}
          </li>
        ))}
      </ul>
      <LoadMore paged={paged} noun="subcortexes" />
      {can(session.principal.role, 'createSubcortex') && <CreateSubcortex onCreated={paged.prepend} />}
    </section>
  );
}

function CreateSubcortex({ onCreated }: { onCreated: (s: Subcortex) => void }) {
  const { api, navigate } = useApp();
  const [form, setForm] = useState<SubcortexForm & { isPrivate: boolean }>({ slug: '', name: '', description: '', isPrivate: false });
  const [slugEdited, setSlugEdited] = useState(false);
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const { errors, error, busy, submit } = useFormSubmit<keyof SubcortexForm>(
    () => validateSubcortex(form),
    async () => {
      const created = await api.subcortexes.create(form, idempotencyKey);
      renewKey();
      onCreated(created);
      navigate({ name: 'subcortex', slug: created.slug });
      return 'leaving';
    },
  );

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="create-subcortex">
      <h2 id="create-subcortex">Create a subcortex</h2>
      <ErrorBanner error={error} />
      <Field id="sc-name" label="Name" error={errors.name}>
        <input
          {...describedBy('sc-name', errors.name)}
          required
          maxLength={100}
          value={form.name}
          onInput={(e) => {
            const name = e.currentTarget.value;
            setForm({ ...form, name, slug: slugEdited ? form.slug : slugify(name) });
          }}
        />
      </Field>
      <Field id="sc-slug" label="Slug" error={errors.slug} hint="Used in links: lowercase letters, digits and hyphens.">
        <input
          {...describedBy('sc-slug', errors.slug, true)}
          required
          autocapitalize="none"
          spellcheck={false}
          value={form.slug}
          onInput={(e) => {
            setSlugEdited(true);
            setForm({ ...form, slug: e.currentTarget.value });
          }}
        />
      </Field>
      <Field id="sc-description" label="Description (optional)" error={errors.description}>
        <textarea
          {...describedBy('sc-description', errors.description)}
          rows={3}
          value={form.description}
          onInput={(e) => setForm({ ...form, description: e.currentTarget.value })}
        />
      </Field>
      <div class="field checkbox">
        <input
          id="sc-private"
          type="checkbox"
          checked={form.isPrivate}
          onChange={(e) => setForm({ ...form, isPrivate: e.currentTarget.checked })}
        />
        <label for="sc-private">Private (visible to its members and admins only)</label>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create subcortex'}
      </button>
    </form>
  );
}
