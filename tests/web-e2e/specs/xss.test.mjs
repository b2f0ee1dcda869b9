import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOk, baseUrl, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';
import { assertNothingRan, bodyPayload, titlePayload } from '../lib/xss.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

// The shared payloads and check (lib/xss.mjs), plus one for comments.
const commentPayload = '<img src=x onerror="window.__xss=\'comment\';alert(\'comment\')"> and [x](javascript:alert(\'comment-link\'))';

describe('XSS payloads in titles, bodies and comments', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('never execute, whether typed in the UI or posted through the API', async () => {
    const { page, events } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const slug = unique('xss');
    const word = `quokka${process.pid}`;

    // A subcortex whose name and description are payloads, created through the API.
    await apiOk('POST', '/subcortexes', { body: { slug, name: titlePayload.slice(0, 100), description: bodyPayload.slice(0, 2000) } });

    // A thread typed into the UI.
    await page.goto(`/s/${slug}/new`);
    await page.getByLabel('Title').fill(`${word} ${titlePayload}`);
    await page.getByLabel('Body', { exact: true }).fill(`${word}\n\n${bodyPayload}`);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('thread-body-preview').locator('p', { hasText: word }).waitFor();
    await assertNothingRan(page, events, 'the preview');
    await page.getByRole('button', { name: 'Create thread' }).click();
    await page.getByRole('heading', { name: `${word} ${titlePayload}` }).waitFor();

    // A comment typed into the UI, and one posted through the API.
    await page.getByLabel('Add a comment', { exact: true }).fill(`${word} ${commentPayload}`);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment').filter({ hasText: 'and x' }).first().waitFor();
    const threadId = new URL(page.url()).pathname.split('/').pop();
    await apiOk('POST', `/threads/${threadId}/comments`, { body: { body: `${word} api ${bodyPayload}` } });
    await page.reload();
    await page.locator('.comment').nth(1).waitFor();
    // The title is shown as text, exactly as typed.
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `${word} ${titlePayload}`);
    await assertNothingRan(page, events, 'the thread page');
    await screenshot(page, 'xss-thread');

    // Clicking what is left of the javascript: links runs nothing either.
    for (const link of await page.locator('.markdown a').all()) {
      const href = await link.getAttribute('href');
      assert.ok(href === null || /^(https?:|mailto:|\/|#)/.test(href), `unexpected link ${href}`);
    }

    await page.goto('/');
    await page.getByRole('link', { name: titlePayload.slice(0, 100) }).waitFor();
    await assertNothingRan(page, events, 'the subcortex list');
    await page.goto(`/s/${slug}`);
    await page.getByRole('link', { name: `${word} ${titlePayload}` }).waitFor();
    await assertNothingRan(page, events, 'the subcortex page');
    await page.goto(`/search?q=${word}`);
    await page.locator('.result').first().waitFor();
    await assertNothingRan(page, events, 'the search results');
    await screenshot(page, 'xss-search');
    assert.deepEqual(events.cspViolations, [], 'no inline script was even attempted');
  });

  it('serves the app with a Content-Security-Policy that forbids inline scripts', async () => {
    const response = await fetch(new URL('/s/anything', baseUrl));
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    assert.equal(scriptSrc, "script-src 'self'");
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });
});
