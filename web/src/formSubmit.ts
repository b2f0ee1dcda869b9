import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from './api/problem';
import { hasErrors, type Errors } from './validation';

/** What a form's send step says when it succeeds: 'leaving' when it navigated away (the form stays busy until it goes). */
export type SendOutcome = void | 'leaving';

export interface SubmitTarget<F extends string> {
  setErrors: (errors: Errors<F>) => void;
  setError: (error: unknown) => void;
  setBusy: (busy: boolean) => void;
}

/**
 * The submit sequence the forms share: validate in the browser, and only if that passes, send with the form busy; a
 * refusal shows as the banner's error and, when the problem details name fields, under those fields. Resolves true
 * when the send succeeded.
 */
export async function submitForm<F extends string>(
  target: SubmitTarget<F>,
  validate: () => Errors<F>,
  send: () => Promise<SendOutcome>,
): Promise<boolean> {
  const found = validate();
  target.setErrors(found);
  target.setError(undefined);
  if (hasErrors(found)) {
    return false;
  }
  target.setBusy(true);
  try {
    if ((await send()) !== 'leaving') {
      target.setBusy(false);
    }
    return true;
  } catch (failure) {
    target.setError(failure);
    if (failure instanceof ApiError) {
      target.setErrors(fieldMessages(failure.problem) as Errors<F>);
    }
    target.setBusy(false);
    return false;
  }
}

/** {@link submitForm} with its state: field errors, the banner's error, the busy flag, and the form's onSubmit. */
export function useFormSubmit<F extends string>(validate: () => Errors<F>, send: () => Promise<SendOutcome>) {
  const [errors, setErrors] = useState<Errors<F>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = (event?: Event) => {
    event?.preventDefault();
    return submitForm({ setErrors, setError, setBusy }, validate, send);
  };
  return { errors, error, busy, submit };
}
