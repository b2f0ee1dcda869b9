import { useState } from 'preact/hooks';
import type { SubcortexTemplate } from '../api/types';
import { useApp } from '../context';
import { useFormSubmit } from '../formSubmit';
import { useLoad } from '../hooks';
import { describeTemplate, evidenceKinds, formOf, parseTemplateForm, wildcardKind, type TemplateForm } from '../templates/rules';
import { ErrorBanner } from './ErrorBanner';
import { describedBy, Field } from './Field';

/** A subcortex's templates (what each kind of content must hold, and whether it is reviewed first); reviewers edit them. */
export function TemplatesPanel({ slug, canManage }: { slug: string; canManage: boolean }) {
  const { api } = useApp();
  const [templates, setTemplates] = useLoad((signal) => api.templates.list(slug, signal), [slug]);
  const [editing, setEditing] = useState<TemplateForm | undefined>(undefined);
  const [status, setStatus] = useState('');

  const saved = (template: SubcortexTemplate) => {
    const others = templates.state === 'loaded' ? templates.value.filter((t) => t.kind !== template.kind) : [];
    setTemplates([...others, template].sort((a, b) => a.kind.localeCompare(b.kind)));
    setEditing(undefined);
    setStatus(`Template for ${kindName(template.kind)} saved.`);
  };

  return (
    <section aria-labelledby="templates-heading" class="templates">
      <h2 id="templates-heading">Templates</h2>
      <p role="status" class="announcer">
        {status}
      </p>
      {templates.state === 'failed' && <ErrorBanner error={templates.error} />}
      {templates.state === 'loaded' && templates.value.length === 0 && <p class="muted">No templates: every kind of content is published as written.</p>}
      {templates.state === 'loaded' && templates.value.length > 0 && (
        <ul class="list" aria-label="Templates">
          {templates.value.map((t) => (
            <li key={t.kind} data-testid={`template-${t.kind}`}>
              <strong>{kindName(t.kind)}</strong>
              {t.reviewRequired && <span class="badge">review required</span>}
              <ul class="plain">
                {describeTemplate(t).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {canManage && !editing && (
                <button type="button" class="secondary" onClick={() => setEditing(formOf(t))} aria-label={`Edit the template for ${kindName(t.kind)}`}>
                  Edit
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && !editing && (
        <button type="button" class="secondary" onClick={() => setEditing(formOf(undefined))}>
          Add a template
        </button>
      )}
      {editing && <TemplateEditor slug={slug} initial={editing} onSaved={saved} onCancel={() => setEditing(undefined)} />}
    </section>
  );
}

function kindName(kind: string): string {
  return kind === wildcardKind ? 'every kind (*)' : kind;
}

function TemplateEditor({ slug, initial, onSaved, onCancel }: { slug: string; initial: TemplateForm; onSaved: (t: SubcortexTemplate) => void; onCancel: () => void }) {
  const { api } = useApp();
  const [form, setForm] = useState(initial);
  const parsed = parseTemplateForm(form);
  const { errors, error, busy, submit } = useFormSubmit<string>(
    () => ('errors' in parsed ? parsed.errors : {}),
    async () => {
      if (!('errors' in parsed)) {
        onSaved(await api.templates.put(slug, form.kind.trim(), parsed.request));
      }
    },
  );

  const toggleKind = (kind: string, on: boolean) =>
    setForm({ ...form, evidenceKinds: on ? [...form.evidenceKinds, kind] : form.evidenceKinds.filter((k) => k !== kind) });

  return (
    <form class="panel" onSubmit={submit} noValidate aria-label="Template">
      <ErrorBanner error={error} />
      <Field id="template-kind" label="Template kind" error={errors.kind} hint="A thread kind (incident, question…), comment, an artifact kind (runbook…), or * for every kind.">
        <input {...describedBy('template-kind', errors.kind, true)} value={form.kind} onInput={(e) => setForm({ ...form, kind: e.currentTarget.value })} />
      </Field>
      <Field id="template-sections" label="Required sections" error={errors.requiredSections} hint="One heading per line; bodies must contain each as a markdown heading.">
        <textarea
          {...describedBy('template-sections', errors.requiredSections, true)}
          rows={4}
          value={form.sections}
          onInput={(e) => setForm({ ...form, sections: e.currentTarget.value })}
        />
      </Field>
      <div class="field checkbox">
        <input id="template-review" type="checkbox" checked={form.reviewRequired} onChange={(e) => setForm({ ...form, reviewRequired: e.currentTarget.checked })} />
        <label for="template-review">Review required (new items and edits become drafts)</label>
      </div>
      <Field id="template-evidence" label="Evidence needed for canon" error={errors.minEvidence}>
        <input
          {...describedBy('template-evidence', errors.minEvidence)}
          type="number"
          min={0}
          max={50}
          inputMode="numeric"
          value={form.minEvidence}
          onInput={(e) => setForm({ ...form, minEvidence: e.currentTarget.value })}
        />
      </Field>
      <fieldset aria-describedby={errors.evidenceKinds ? 'template-kinds-error' : undefined}>
        <legend>Evidence that counts</legend>
        {evidenceKinds.map((kind) => (
          <label key={kind} class="inline">
            <input type="checkbox" checked={form.evidenceKinds.includes(kind)} onChange={(e) => toggleKind(kind, e.currentTarget.checked)} /> {kind}
          </label>
        ))}
        {errors.evidenceKinds && (
          <p class="field-error" id="template-kinds-error">
            {errors.evidenceKinds}
          </p>
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save template'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
