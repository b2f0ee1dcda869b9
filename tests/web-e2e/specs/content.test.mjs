import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOk, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

describe('subcortexes, threads, comments and search', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('creates a subcortex and a thread, comments, and finds both by keyword search', async () => {
    const { page, events } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    const slug = unique('ops');
    const word = `zeppelin${process.pid}`;

    // Create a subcortex: the slug is suggested from the name, and the new page opens.
    await page.getByLabel('Name').fill(`Operations ${slug}`);
    await page.getByLabel('Slug').fill(slug);
    await page.getByLabel('Description (optional)').fill('Runbooks and incidents.');
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByRole('heading', { name: `Operations ${slug}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/s/${slug}`);

    // Create a thread, checking the server-rendered preview first.
    await page.getByRole('link', { name: 'New thread' }).click();
    await page.getByLabel('Title').fill(`Disk full on ${word} hosts`);
    await page.getByLabel('Kind').selectOption('incident');
    await page.getByLabel('Body', { exact: true }).fill(`The **${word}** volume filled up.\n\n- rotate logs\n- add alerts`);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('thread-body-preview').locator('strong', { hasText: word }).waitFor();
    await screenshot(page, 'new-thread-preview');
    await page.getByRole('button', { name: 'Write' }).click();
    await page.getByRole('button', { name: 'Create thread' }).click();
    await page.getByRole('heading', { name: `Disk full on ${word} hosts` }).waitFor();
    await page.locator('.thread-body strong', { hasText: word }).waitFor();
    await page.locator('.thread-body li', { hasText: 'rotate logs' }).waitFor();

    // Comment.
    await page.getByLabel('Add a comment', { exact: true }).fill(`Fixed by rotating ${word}-logs _nightly_.`);
    await page.getByRole('button', { name: 'Post comment' }).click();
    const comment = page.locator('.comment').filter({ hasText: `Fixed by rotating ${word}-logs` });
    await comment.locator('em', { hasText: 'nightly' }).waitFor();
    await screenshot(page, 'thread');

    // The subcortex page lists the thread.
    await page.getByRole('link', { name: 'Subcortexes' }).first().click();
    await page.getByRole('link', { name: `Operations ${slug}` }).click();
    await page.getByRole('link', { name: `Disk full on ${word} hosts` }).waitFor();
    await screenshot(page, 'subcortex');
    await page.getByRole('link', { name: 'Subcortexes' }).first().click();
    await page.getByRole('link', { name: `Operations ${slug}` }).waitFor();
    await screenshot(page, 'subcortexes');

    // Search finds the thread and the comment, and a result leads to the thread.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search threads and comments').fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('.result');
    await results.filter({ hasText: 'thread' }).first().waitFor();
    await results.filter({ hasText: 'comment' }).first().waitFor();
    await page.locator('.result mark').first().waitFor();
    await screenshot(page, 'search');
    await results.filter({ hasText: 'thread' }).first().getByRole('link', { name: `Disk full on ${word} hosts` }).click();
    await page.getByRole('heading', { name: `Disk full on ${word} hosts` }).waitFor();

    assert.deepEqual(events, { dialogs: [], pageErrors: [], cspViolations: [] });
  });

  it('shows field errors from the client and from the server’s problem details', async () => {
    const { page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    await page.getByLabel('Name').fill('Bad');
    await page.getByLabel('Slug').fill('Not A Slug');
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByText('Must be 2 to 64 lowercase letters, digits or inner single hyphens.').waitFor();

    // A taken slug is only known to the server: its validation problem names the field.
    const slug = unique('taken');
    await apiOk('POST', '/subcortexes', { body: { slug, name: 'Taken first' } });
    await page.getByLabel('Name').fill('Taken again');
    await page.getByLabel('Slug').fill(slug);
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByRole('alert').filter({ hasText: 'This slug is already taken.' }).waitFor();
    assert.equal(await page.getByLabel('Slug').getAttribute('aria-invalid'), 'true');
  });

  it('says so when the draft gate holds a new thread for review', async () => {
    const slug = unique('gated');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Gated ${slug}` } });
    await apiOk('PUT', `/subcortexes/${slug}/templates/discussion`, { body: { reviewRequired: true } });
    const { page } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    await page.goto(`/s/${slug}/new`);
    await page.getByLabel('Title').fill('Needs a reviewer');
    await page.getByLabel('Body', { exact: true }).fill('Held by the template.');
    await page.getByRole('button', { name: 'Create thread' }).click();
    await page.getByRole('status').filter({ hasText: 'was submitted for review' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/s/${slug}/new`);
    const threads = await apiOk('GET', `/subcortexes/${slug}/threads`);
    assert.deepEqual(threads.items, [], 'nothing was published before review');
  });

  it('works at phone width without horizontal scrolling', async () => {
    const { page } = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(page, 'admin', adminPassword);
    await page.getByRole('heading', { name: 'Subcortexes' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await screenshot(page, 'phone-subcortexes');
    await page.goto('/settings/keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    const keysOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(keysOverflow <= 0, `the keys page is ${keysOverflow}px wider than the phone`);
    await screenshot(page, 'phone-keys');
  });
});
