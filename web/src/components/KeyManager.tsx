import { useState } from 'preact/hooks';
import type { ApiKey, CreatedApiKey, RotatedApiKey } from '../api/types';
import { useApp } from '../context';
import { useFormSubmit } from '../formSubmit';
import { formatTime } from '../format';
import { useFocusOnMount, useIdempotencyKey } from '../hooks';
import { validateKeyName } from '../validation';
import { ErrorBanner } from './ErrorBanner';
import { describedBy, Field } from './Field';
import { KeyRow } from './KeyRow';
import { LoadMore } from './LoadMore';
import { usePaged } from './usePaged';

/** The wording that differs between one's own keys and an admin managing someone else's. */
export interface KeyManagerText {
  /** Prefix of the form's element ids, unique on the page. */
  idPrefix: string;
  /** Names whose keys these are, in the table's caption and the new key's heading ("you", "@ci-bot"). */
  owner: string;
  listHeading: string;
  nameLabel: string;
  formLabel: string;
  secretLabel: string;
  /** What to do with a key that is shown once. */
  secretAdvice: string;
}

/**
 * One principal's API keys: create one (its secret shown once, focused, with a copy button), list them, rotate, revoke.
 * Used by the Keys page (one's own) and the admin page (anyone's); the server decides who may do what.
 */
export function KeyManager({ principalId, canCreate, text }: { principalId: string; canCreate: boolean; text: KeyManagerText }) {
  const { api } = useApp();
  const paged = usePaged<ApiKey>((cursor, signal) => api.keys.list(principalId, cursor, signal), (k) => k.id, [principalId]);
  const [created, setCreated] = useState<CreatedApiKey | RotatedApiKey | undefined>(undefined);

  return (
    <>
      {created && <NewKeySecret created={created} text={text} onDismiss={() => setCreated(undefined)} />}
      {canCreate && (
        <CreateKeyForm
          principalId={principalId}
          text={text}
          onCreated={(answer) => {
            setCreated(answer);
            paged.prepend(answer.apiKey);
          }}
        />
      )}
      <h2>{text.listHeading}</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">API keys of {text.owner}</caption>
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
              <KeyRow
                key={key.id}
                apiKey={key}
                onChanged={(k) => paged.replaceAll(paged.list.items.map((i) => (i.id === k.id ? k : i)))}
                onRotated={(rotated) => {
                  setCreated(rotated);
                  paged.replaceAll([rotated.apiKey, ...paged.list.items.map((i) => (i.id === rotated.previous.id ? rotated.previous : i))]);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore paged={paged} noun="keys" />
    </>
  );
}

function NewKeySecret({ created, text, onDismiss }: { created: CreatedApiKey | RotatedApiKey; text: KeyManagerText; onDismiss: () => void }) {
  const replaced = 'previous' in created ? created.previous : undefined;
  const [copied, setCopied] = useState(false);
  const secret = useFocusOnMount<HTMLInputElement>();
  const id = `${text.idPrefix}-secret`;
  const copy = async () => {
    await navigator.clipboard.writeText(created.key);
    setCopied(true);
  };
  return (
    <div class="panel notice" role="status">
      <h2>
        Key “{created.apiKey.name}” created for {text.owner}
      </h2>
      {replaced?.expiresAt && (
        <p>
          “{replaced.name}” ({replaced.prefix}) keeps working until {formatTime(replaced.expiresAt)}; move whatever uses it to this key.
        </p>
      )}
      <p>{text.secretAdvice} Cortex keeps only a hash and will not show it again.</p>
      <label for={id}>{text.secretLabel}</label>
      <input id={id} ref={secret} class="secret" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
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

function CreateKeyForm({ principalId, text, onCreated }: { principalId: string; text: KeyManagerText; onCreated: (created: CreatedApiKey) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const id = `${text.idPrefix}-name`;
  const { errors, error, busy, submit } = useFormSubmit<'name'>(
    () => validateKeyName(name),
    async () => {
      const created = await api.keys.create(principalId, name, idempotencyKey);
      renewKey();
      setName('');
      onCreated(created);
    },
  );

  return (
    <form class="panel inline-form" onSubmit={submit} noValidate aria-label={text.formLabel}>
      <ErrorBanner error={error} />
      <Field id={id} label={text.nameLabel} error={errors.name}>
        <input {...describedBy(id, errors.name)} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
