import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, createHuman, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const password = 'a sufficiently long password';

describe('API keys page', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('creates a key shown once, which works until it is revoked', async () => {
    const handle = unique('kim');
    await createHuman(handle, 'member', password);
    const { page, events } = await openPage(browser);
    await signIn(page, handle, password);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('New key name').fill('laptop');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secretField = page.getByLabel('Your new key');
    const secret = await secretField.inputValue();
    assert.equal(await secretField.evaluate((el) => el === document.activeElement), true, 'the new key has the focus');
    assert.match(secret, /^ctx_[a-z2-7]+_[a-z2-7]+$/);
    await screenshot(page, 'keys-created');

    const me = await api('GET', '/principals/me', { key: secret });
    assert.equal(me.status, 200);
    assert.equal(me.body.handle, handle);

    // Shown once: after a reload the page lists the key but no longer holds its secret.
    await page.reload();
    await page.getByRole('cell', { name: 'laptop', exact: true }).waitFor();
    assert.equal((await page.content()).includes(secret), false);

    // By keyboard: the confirmation takes the focus, so Enter twice revokes.
    await page.getByRole('button', { name: 'Revoke key laptop' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Confirm revoking key laptop');
    await page.keyboard.press('Enter');
    await page.getByRole('row').filter({ hasText: 'laptop' }).getByText('revoked').waitFor();
    await screenshot(page, 'keys');

    const after = await api('GET', '/principals/me', { key: secret });
    assert.equal(after.status, 401);
    assert.equal(after.body.type, 'urn:cortex:problem:unauthenticated');
    assert.deepEqual(events.dialogs, []);
  });

  it('rotates a key: a new secret now, the old one working until the overlap ends, or stopping at once', async () => {
    const handle = unique('rot');
    await createHuman(handle, 'member', password);
    const { page, events } = await openPage(browser);
    await signIn(page, handle, password);
    await page.goto('/settings/keys');
    await page.getByLabel('New key name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const first = await page.getByLabel('Your new key').inputValue();
    await page.getByRole('button', { name: 'I have saved it' }).click();

    await page.getByRole('button', { name: 'Rotate key ci' }).click();
    await page.getByLabel('Old key ci keeps working for').selectOption({ label: '1 hour' });
    await page.getByRole('button', { name: 'Confirm rotating key ci' }).click();
    await page.getByText('keeps working until').waitFor();
    const second = await page.getByLabel('Your new key').inputValue();
    assert.notEqual(second, first);
    assert.equal(await page.getByRole('row').filter({ hasText: 'until' }).count(), 1, 'the old key shows when it stops');
    await screenshot(page, 'keys-rotated');
    for (const key of [first, second]) {
      assert.equal((await api('GET', '/principals/me', { key })).status, 200);
    }

    // Rotating the new key with no overlap ends it at once; the one that replaces it works.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('button', { name: 'Rotate key ci' }).first().click();
    await page.getByLabel('Old key ci keeps working for').selectOption({ label: 'no overlap (stops now)' });
    await page.getByRole('button', { name: 'Confirm rotating key ci' }).click();
    await page.getByText('keeps working until').waitFor();
    const third = await page.getByLabel('Your new key').inputValue();
    assert.equal((await api('GET', '/principals/me', { key: second })).status, 401);
    assert.equal((await api('GET', '/principals/me', { key: third })).status, 200);
    assert.equal((await api('GET', '/principals/me', { key: first })).status, 200, 'the first key is still in its hour of overlap');
    assert.deepEqual(events.dialogs, []);
  });

  it('changes one’s own password only with the current one', async () => {
    const handle = unique('pat');
    await createHuman(handle, 'member', password);
    const { page } = await openPage(browser);
    await signIn(page, handle, password);
    await page.goto('/settings/keys');
    await page.getByLabel('Current password').fill('wrong current password');
    await page.getByLabel('New password', { exact: true }).fill('my brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('my brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#pw-current-error', { hasText: 'Is not your current password.' }).waitFor();

    await page.getByLabel('Current password').fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();

    const { page: again } = await openPage(browser);
    await signIn(again, handle, 'my brand new passphrase');
  });
});
