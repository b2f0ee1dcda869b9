import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** How many drafts the reason is for; the dialog is open while this is defined. */
  count: number | undefined;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/** A modal dialog asking why drafts are rejected; Escape cancels, and focus returns where it was. */
export function RejectDialog({ count, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const open = count !== undefined;

  useEffect(() => {
    const element = dialog.current;
    if (!element) {
      return;
    }
    if (open && !element.open) {
      setReason('');
      setError(undefined);
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setError('Say why, so the author can act on it.');
      return;
    }
    if (reason.length > 2_000) {
      setError('At most 2000 characters.');
      return;
    }
    onConfirm(reason.trim());
  };

  const title = count === 1 ? 'Reject this draft' : `Reject ${count ?? 0} drafts`;
  return (
    <dialog
      ref={dialog}
      class="reject-dialog"
      aria-labelledby="reject-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="reject-title">{title}</h2>
        <div class={`field${error ? ' invalid' : ''}`}>
          <label for="reject-reason">Reason for rejecting</label>
          <textarea
            id="reject-reason"
            rows={4}
            maxLength={2000}
            value={reason}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'reject-reason-error' : undefined}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          {error && (
            <p class="field-error" id="reject-reason-error">
              {error}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" class="danger">
            {title}
          </button>
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
