import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/problem';
import { submitForm, type SubmitTarget } from '../src/formSubmit';
import type { Errors } from '../src/validation';

/** Records every state change the submit sequence makes, in order. */
function recorder() {
  const log: string[] = [];
  const target: SubmitTarget<'title' | 'body'> = {
    setErrors: (errors: Errors<'title' | 'body'>) => log.push(`errors ${JSON.stringify(errors)}`),
    setError: (error: unknown) => log.push(`error ${error instanceof Error ? error.message : String(error)}`),
    setBusy: (busy: boolean) => log.push(`busy ${busy}`),
  };
  return { log, target };
}

describe('the forms’ submit sequence', () => {
  it('does not send while the browser finds errors', async () => {
    const { log, target } = recorder();
    let sent = 0;
    const ok = await submitForm(target, () => ({ title: 'Required.' }), async () => void sent++);
    expect(ok).toBe(false);
    expect(sent).toBe(0);
    expect(log).toEqual(['errors {"title":"Required."}', 'error undefined']);
  });

  it('sends busy, and is done when the send succeeds', async () => {
    const { log, target } = recorder();
    const ok = await submitForm(target, () => ({}), async () => {
      log.push('sent');
    });
    expect(ok).toBe(true);
    expect(log).toEqual(['errors {}', 'error undefined', 'busy true', 'sent', 'busy false']);
  });

  it('stays busy when the send navigated away', async () => {
    const { log, target } = recorder();
    await submitForm(target, () => ({}), async () => 'leaving');
    expect(log.at(-1)).toBe('busy true');
  });

  it('shows a refusal in the banner and its field messages under the fields', async () => {
    const { log, target } = recorder();
    const refusal = new ApiError({
      type: 'urn:cortex:problem:validation',
      title: 'The request is invalid.',
      status: 400,
      detail: 'The incident template requires the sections: Impact.',
      errors: { body: ['The incident template requires the sections: Impact.'] },
    });
    const ok = await submitForm(target, () => ({}), async () => {
      throw refusal;
    });
    expect(ok).toBe(false);
    expect(log).toEqual([
      'errors {}',
      'error undefined',
      'busy true',
      'error The incident template requires the sections: Impact.',
      'errors {"body":"The incident template requires the sections: Impact."}',
      'busy false',
    ]);
  });

  it('shows a failure that is not a problem in the banner only', async () => {
    const { log, target } = recorder();
    await submitForm(target, () => ({}), async () => {
      throw new Error('offline');
    });
    expect(log.slice(3)).toEqual(['error offline', 'busy false']);
  });
});
