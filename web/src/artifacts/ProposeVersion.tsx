import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from '../api/problem';
import type { ArtifactVersion, Draft, EvidenceLink, SubcortexTemplate } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { EvidenceEditor } from '../components/EvidenceEditor';
import { Link } from '../components/Link';
import { MarkdownEditor } from '../components/MarkdownEditor';
import { useApp } from '../context';
import { useIdempotencyKey } from '../hooks';
import { cleanEvidence, evidenceShortfall, validateEvidence } from './evidence';

interface Props {
  artifactId: string;
  /** The version the proposal starts from (editing canon proposes a new version based on it); undefined for the first. */
  basis: ArtifactVersion | undefined;
  template: SubcortexTemplate | undefined;
  onProposed: (version: ArtifactVersion) => void;
  onCancel: () => void;
}

/** Server errors keyed `evidence[i]` belong to row i of the evidence editor. */
function evidenceRowErrors(errors: Record<string, string>): Record<number, string> {
  const rows: Record<number, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const match = /^evidence\[(\d+)\]$/.exec(field);
    if (match) {
      rows[Number(match[1])] = message;
    }
  }
  return rows;
}

export function ProposeVersion({ artifactId, basis, template, onProposed, onCancel }: Props) {
  const { api } = useApp();
  const [body, setBody] = useState(basis?.body ?? '');
  const [evidence, setEvidence] = useState<EvidenceLink[]>(basis?.evidence ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [held, setHeld] = useState<Draft | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, renewKey] = useIdempotencyKey();

  const links = cleanEvidence(evidence);
  const need = template && template.minEvidence > 0 ? evidenceShortfall(links, template.minEvidence, template.evidenceKinds) : undefined;
  const hint = template && template.minEvidence > 0
    ? `Canon for a ${template.kind} needs at least ${template.minEvidence} piece(s) of evidence of kind ${template.evidenceKinds.join(', ')}` +
      (need && need.missing > 0 ? `; ${need.missing} more needed before a reviewer can accept it.` : '; this version has enough.')
    : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateEvidence(links);
    setRowErrors(found);
    setErrors(body.trim() === '' ? { body: 'Required: the version’s text.' } : {});
    setError(undefined);
    if (Object.keys(found).length > 0 || body.trim() === '') {
      return;
    }
    setBusy(true);
    try {
      const answer = await api.artifacts.propose(artifactId, { body, evidence: links, ...(basis ? { basedOn: basis.number } : {}) }, idempotencyKey);
      renewKey();
      if (answer.held) {
        setHeld(answer.draft);
      } else {
        onProposed(answer.item);
      }
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        const messages = fieldMessages(failure.problem);
        setErrors(messages);
        setRowErrors(evidenceRowErrors(messages));
      }
    } finally {
      setBusy(false);
    }
  };

  if (held) {
    return (
      <div class="panel notice" role="status">
        <p>
          Your version was submitted for review as a draft. It becomes a version once a reviewer approves it:{' '}
          <Link to={{ name: 'draft', id: held.id }}>see the draft</Link>.
        </p>
        <button type="button" class="secondary" onClick={onCancel}>
          Close
        </button>
      </div>
    );
  }

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="propose-heading">
      <h2 id="propose-heading">{basis ? `Propose a new version based on v${basis.number}` : 'Propose the first version'}</h2>
      <p class="muted">Versions are never edited in place: your change becomes a new proposed version, and a reviewer accepts it into canon.</p>
      <ErrorBanner error={error} />
      <MarkdownEditor id="version-body" label="Version text" value={body} onInput={setBody} error={errors.body} rows={14} />
      <EvidenceEditor id="version-evidence" links={evidence} onChange={setEvidence} errors={rowErrors} hint={hint} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Proposing…' : 'Propose version'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
