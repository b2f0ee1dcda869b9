import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, baseUrl, createHuman, csrfToken, fetchInPage, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

describe('signing in and out', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('signs in with the keyboard alone, and explains a wrong password', async () => {
    const { page, events } = await openPage(browser);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to Cortex' }).waitFor();
    await screenshot(page, 'sign-in');

    await page.getByLabel('Handle').focus();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The handle or password is wrong.' }).waitFor();

    await page.getByLabel('Password').fill(adminPassword);
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').filter({ hasText: '@admin' }).waitFor();
    await page.getByRole('heading', { name: 'Subcortexes' }).waitFor();
    assert.deepEqual(events, { dialogs: [], pageErrors: [], cspViolations: [] });
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that scripts cannot read', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'cortex_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie.includes('cortex_session')), false);
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with the token', async () => {
    const { page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const slug = unique('csrf');
    const body = { slug, name: 'CSRF check', description: '' };

    const forged = await fetchInPage(page, 'POST', '/subcortexes', { body });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.type, 'urn:cortex:problem:csrf');
    assert.equal((await api('GET', `/subcortexes/${slug}`)).status, 404, 'the forged request wrote nothing');

    const token = await csrfToken(page);
    const genuine = await fetchInPage(page, 'POST', '/subcortexes', { body, headers: { 'X-CSRF-Token': token } });
    assert.equal(genuine.status, 201);
  });

  it('keeps working in a tab whose session was replaced by signing in again in another tab', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const other = await context.newPage();
    await signIn(other, 'admin', adminPassword);

    // The first tab still holds the old CSRF token; its next write fetches the new one and succeeds.
    const slug = unique('two-tabs');
    await page.getByLabel('Name').fill('Two tabs');
    await page.getByLabel('Slug').fill(slug);
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByRole('heading', { name: 'Two tabs' }).waitFor();
    assert.equal((await api('GET', `/subcortexes/${slug}`)).status, 200);
  });

  it('signs out, ending the session on the server too', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'cortex_session');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cortex' }).waitFor();
    await page.goto('/settings/keys');
    await page.getByRole('heading', { name: 'Sign in to Cortex' }).waitFor();

    // Replaying the old cookie (as a thief would) no longer works.
    const replay = await fetch(new URL('/api/v1/session', baseUrl), { headers: { Cookie: `cortex_session=${cookie.value}` } });
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).type, 'urn:cortex:problem:unauthenticated');
  });

  it('when the session ends on the server (expiry, sign-out elsewhere), the next action asks to sign in and returns there', async () => {
    const member = unique('exp');
    await createHuman(member, 'member', 'a long member password');
    const { context, page } = await openPage(browser);
    await signIn(page, member, 'a long member password');
    await page.goto('/settings/keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    // Until the notifications link has connected and re-read the unread count, that background request could be the
    // one to find the session gone (showing sign-in for this page); wait, so the click below is the next request.
    await page.locator('.bell-link[data-link="connected"]').waitFor();

    // The server ends the session behind the tab's back, as an idle or hard expiry does: the tab still holds its cookie.
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'cortex_session');
    const ended = await fetch(new URL('/api/v1/session', baseUrl), {
      method: 'DELETE',
      headers: { Cookie: `cortex_session=${cookie.value}`, 'X-CSRF-Token': await csrfToken(page) },
    });
    assert.equal(ended.status, 204);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cortex' }).waitFor();
    await page.getByLabel('Handle').fill(member);
    await page.getByLabel('Password').fill('a long member password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/tasks');
  });

  it('returns to the page asked for after signing in', async () => {
    const member = unique('nav');
    await createHuman(member, 'member', 'a long member password');
    const { page } = await openPage(browser);
    await page.goto('/settings/keys');
    await page.getByLabel('Handle').fill(member);
    await page.getByLabel('Password').fill('a long member password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings/keys');
  });
});
