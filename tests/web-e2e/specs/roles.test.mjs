import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, apiOk, createHuman, csrfToken, fetchInPage, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;
const password = 'correct horse battery staple';

describe('roles', () => {
  let browser;
  let admin;
  before(async () => {
    browser = await launch();
    admin = await apiOk('GET', '/principals/me');
  });
  after(async () => {
    await browser?.close();
  });

  it('an admin sees and uses the principals page', async () => {
    const { page, events } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Principals' }).click();
    const handle = unique('newbie');
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Display name').fill('New Person');
    await page.getByLabel('Role').selectOption('reviewer');
    await page.getByRole('button', { name: 'Add principal' }).click();
    await page.getByRole('cell', { name: `@${handle}`, exact: true }).waitFor();
    await page.getByRole('button', { name: `Set password for @${handle}` }).click();
    await page.getByLabel(`New password for @${handle}`).fill(password);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Password set.').waitFor();
    await screenshot(page, 'principals');

    const { page: newbie } = await openPage(browser);
    await signIn(newbie, handle, password);
    assert.deepEqual(events.dialogs, []);
  });

  it('a member cannot reach admin actions, and the API refuses them anyway', async () => {
    const handle = unique('mia');
    await createHuman(handle, 'member', password);
    const { page } = await openPage(browser);
    await signIn(page, handle, password);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'API keys' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Principals' }).count(), 0, 'no admin link for a member');

    // Typing the admin page's address shows the server's refusal, and no admin form.
    await page.goto('/manage/principals');
    await page.getByRole('alert').filter({ hasText: 'may not' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add principal' }).count(), 0);
    await screenshot(page, 'member-refused');

    // The API refuses admin actions even with a valid session and CSRF token.
    const token = await csrfToken(page);
    const headers = { 'X-CSRF-Token': token };
    const create = await fetchInPage(page, 'POST', '/principals', {
      body: { handle: unique('evil'), displayName: 'Evil', kind: 'human', role: 'admin' },
      headers,
    });
    assert.equal(create.status, 403);
    assert.equal(create.body.type, 'urn:cortex:problem:forbidden');
    const takeover = await fetchInPage(page, 'PUT', `/principals/${admin.id}/password`, { body: { password: 'owned by a member!!' }, headers });
    assert.equal(takeover.status, 403);
    const audit = await fetchInPage(page, 'GET', '/audit');
    assert.equal(audit.status, 403);

    // The admin's password is unchanged.
    const { page: adminPage } = await openPage(browser);
    await signIn(adminPage, 'admin', adminPassword);
  });

  it('a member proposes a subcortex, and only a reviewer or admin activates it', async () => {
    const handle = unique('max');
    await createHuman(handle, 'member', password);
    const { page } = await openPage(browser);
    await signIn(page, handle, password);
    const slug = unique('proposal');
    await page.getByLabel('Name').fill(`Proposal ${slug}`);
    await page.getByLabel('Slug').fill(slug);
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByText('This subcortex is proposed').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Activate subcortex' }).count(), 0);

    const { page: adminPage } = await openPage(browser);
    await signIn(adminPage, 'admin', adminPassword);
    await adminPage.goto(`/s/${slug}`);
    await adminPage.getByRole('button', { name: 'Activate subcortex' }).click();
    await adminPage.locator('.badge', { hasText: 'active' }).waitFor();
    assert.equal((await apiOk('GET', `/subcortexes/${slug}`)).state, 'active');
  });

  it('a reviewer declines a proposed subcortex listed for their decision', async () => {
    const handle = unique('mel');
    await createHuman(handle, 'member', password);
    const { page } = await openPage(browser);
    await signIn(page, handle, password);
    const slug = unique('unwanted');
    await page.getByLabel('Name').fill(`Unwanted ${slug}`);
    await page.getByLabel('Slug').fill(slug);
    await page.getByRole('button', { name: 'Create subcortex' }).click();
    await page.getByText('This subcortex is proposed').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Decline subcortex' }).count(), 0);

    const reviewerHandle = unique('rae');
    await createHuman(reviewerHandle, 'reviewer', password);
    const { page: reviewer } = await openPage(browser);
    await signIn(reviewer, reviewerHandle, password);
    await reviewer.getByRole('list', { name: 'Proposed subcortexes' }).getByRole('link', { name: `Unwanted ${slug}` }).click();
    await reviewer.getByRole('button', { name: 'Decline subcortex' }).click();
    await reviewer.locator('.badge', { hasText: 'declined' }).waitFor();
    assert.equal((await apiOk('GET', `/subcortexes/${slug}`)).state, 'declined');
    await reviewer.goto('/');
    await reviewer.getByRole('heading', { name: 'Subcortexes', level: 1 }).waitFor();
    assert.equal(await reviewer.getByRole('list', { name: 'Proposed subcortexes' }).getByRole('link', { name: `Unwanted ${slug}` }).count(), 0);
  });

  it('a reviewer sets a template on the subcortex page; the new-thread form explains it and adds its headings', async () => {
    const slug = unique('tmpl');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Templates ${slug}` } });
    const reviewerHandle = unique('tess');
    await createHuman(reviewerHandle, 'reviewer', password);
    const { page: reviewer, events } = await openPage(browser);
    await signIn(reviewer, reviewerHandle, password);
    await reviewer.goto(`/s/${slug}`);
    await reviewer.getByText('No templates').waitFor();
    await reviewer.getByRole('button', { name: 'Add a template' }).click();
    await reviewer.getByLabel('Template kind').fill('incident');
    await reviewer.getByLabel('Required sections').fill('Impact\nTimeline');
    await reviewer.getByRole('button', { name: 'Save template' }).click();
    await reviewer.getByRole('status').filter({ hasText: 'Template for incident saved.' }).waitFor();
    await reviewer.getByTestId('template-incident').getByText('Bodies need the sections: Impact, Timeline.').waitFor();
    await screenshot(reviewer, 'subcortex-templates');
    const [stored] = await apiOk('GET', `/subcortexes/${slug}/templates`);
    assert.deepEqual(stored.requiredSections, ['Impact', 'Timeline']);

    const handle = unique('nina');
    await createHuman(handle, 'member', password);
    const { page } = await openPage(browser);
    await signIn(page, handle, password);
    await page.goto(`/s/${slug}`);
    await page.getByTestId('template-incident').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add a template' }).count(), 0, 'members do not manage templates');
    await page.getByRole('link', { name: 'New thread' }).click();
    await page.getByLabel('Title').fill('Checkout latency');
    await page.getByLabel('Kind').selectOption('incident');
    await page.getByTestId('thread-template').getByText('Bodies need the sections: Impact, Timeline.').waitFor();
    await page.getByLabel('Body', { exact: true }).fill('p99 doubled.');
    await page.getByRole('button', { name: 'Create thread' }).click();
    await page.getByText('The incident template requires the sections: Impact, Timeline.').waitFor();
    await page.getByRole('button', { name: 'Add the required headings' }).click();
    assert.equal(await page.getByLabel('Body', { exact: true }).inputValue(), 'p99 doubled.\n\n## Impact\n\n\n## Timeline\n\n');
    await page.getByRole('button', { name: 'Create thread' }).click();
    await page.getByRole('heading', { name: 'Checkout latency', level: 1 }).waitFor();
    await page.locator('.thread-body h2', { hasText: 'Timeline' }).waitFor();
    assert.deepEqual(events.pageErrors, []);
  });

  it('a reader sees no write actions, and the API refuses writes', async () => {
    const handle = unique('rex');
    const reader = await createHuman(handle, 'reader', password);
    const slug = unique('read');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Readable ${slug}` } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: 'For readers', body: 'Read me.' } });

    const { page } = await openPage(browser);
    await signIn(page, handle, password);
    await page.getByRole('link', { name: `Readable ${slug}` }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create subcortex' }).count(), 0);
    await page.getByRole('link', { name: `Readable ${slug}` }).click();
    await page.getByRole('link', { name: 'For readers' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'New thread' }).count(), 0);
    await page.getByRole('link', { name: 'For readers' }).click();
    await page.getByText('Read me.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Post comment' }).count(), 0);

    const key = (await apiOk('POST', `/principals/${reader.id}/keys`, { body: { name: 'reader key' } })).key;
    const refused = await api('POST', `/threads/${thread.id}/comments`, { key, body: { body: 'sneaky' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, 'urn:cortex:problem:forbidden');
  });
});
