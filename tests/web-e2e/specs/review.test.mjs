import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, apiOk, createHuman, csrfToken, fetchInPage, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';
import { assertNothingRan, bodyPayload, titlePayload } from '../lib/xss.mjs';

const password = 'correct horse battery staple';

/** An agent principal and its key: agents' writes are held for review as drafts. */
async function createAgent(handle) {
  const agent = await apiOk('POST', '/principals', { body: { handle, displayName: `Agent ${handle}`, kind: 'agent', role: 'agent' } });
  const { key } = await apiOk('POST', `/principals/${agent.id}/keys`, { body: { name: 'e2e' } });
  return { agent, key };
}

async function heldThread(key, slug, title, body = 'Proposed by an agent.') {
  const answer = await api('POST', `/subcortexes/${slug}/threads`, { key, body: { title, body } });
  assert.equal(answer.status, 202, `the agent's thread is held for review: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function heldComment(key, threadId, body) {
  const answer = await api('POST', `/threads/${threadId}/comments`, { key, body: { body } });
  assert.equal(answer.status, 202, `the agent's comment is held for review: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A subcortex per test, so each test's queue holds only its own drafts. */
async function newSubcortex() {
  const slug = unique('review');
  await apiOk('POST', '/subcortexes', { body: { slug, name: `Review ${slug}` } });
  return slug;
}

describe('review queue', () => {
  let browser;
  let agentKey;
  let reviewerHandle;
  before(async () => {
    browser = await launch();
    agentKey = (await createAgent(unique('bot'))).key;
    reviewerHandle = unique('rita');
    await createHuman(reviewerHandle, 'reviewer', password);
  });
  after(async () => {
    await browser?.close();
  });

  it('a reviewer approves a draft with the keyboard, and it appears where it belongs', async () => {
    const slug = await newSubcortex();
    const title = `Held thread ${slug}`;
    const draft = await heldThread(agentKey, slug, title, '# Plan\n\nRoll back the **canary**.');
    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    await page.getByRole('button', { name: `thread “${title}”` }).waitFor();
    // The shortcuts are listed on the page, and the draft is shown as the body it would create.
    await page.getByText('approve the current draft').waitFor();
    await page.getByTestId('draft-view').locator('strong', { hasText: 'canary' }).waitFor();
    await screenshot(page, 'review-queue');

    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Draft approved.' }).waitFor();
    assert.equal(await page.getByRole('button', { name: `thread “${title}”` }).count(), 0, 'the approved draft left the pending queue');
    const approved = await apiOk('GET', `/drafts/${draft.id}`);
    assert.equal(approved.state, 'approved');

    await page.getByRole('link', { name: 'See where it landed' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/t/${approved.materializedId}`);
    await page.goto(`/s/${slug}`);
    await page.getByRole('link', { name: title }).waitFor();
    assert.deepEqual(events.dialogs, []);
    assert.deepEqual(events.pageErrors, []);
  });

  it('batch-rejects selected drafts with one reason, shown in their thread context', async () => {
    const slug = await newSubcortex();
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: `Context ${slug}`, body: 'The thread being discussed.' } });
    const first = await heldComment(agentKey, thread.id, 'First agent comment.');
    const second = await heldComment(agentKey, thread.id, 'Second agent comment.');
    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}&kind=comment`);
    await page.getByRole('button', { name: 'comment “First agent comment.”' }).waitFor();
    await page.getByRole('button', { name: 'comment “Second agent comment.”' }).waitFor();
    // The comment is shown in its thread.
    await page.getByTestId('draft-view').getByRole('link', { name: `Context ${slug}` }).waitFor();

    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.getByTestId('draft-view').getByText('Second agent comment.').waitFor();
    await page.keyboard.press('x');
    await page.getByText('2 selected', { exact: true }).waitFor();
    await page.keyboard.press('Shift+R');
    const dialog = page.getByRole('dialog', { name: 'Reject 2 drafts' });
    await dialog.waitFor();
    // A blank reason is refused in place.
    await dialog.getByRole('button', { name: 'Reject 2 drafts' }).click();
    await dialog.getByText('Say why').waitFor();
    await dialog.getByLabel('Reason for rejecting').fill('Duplicates the thread body.');
    await screenshot(page, 'review-batch-reject');
    await dialog.getByRole('button', { name: 'Reject 2 drafts' }).click();
    await page.getByTestId('queue-status').filter({ hasText: '2 drafts rejected.' }).waitFor();

    for (const draft of [first, second]) {
      const decided = await apiOk('GET', `/drafts/${draft.id}`);
      assert.equal(decided.state, 'rejected');
      assert.equal(decided.reason, 'Duplicates the thread body.');
    }
    const comments = await apiOk('GET', `/threads/${thread.id}/comments`);
    assert.equal(comments.items.length, 0, 'rejected comments never appear');
    assert.deepEqual(events.dialogs, []);
  });

  it('batch-approves selected drafts with Shift+A, and each lands in its subcortex', async () => {
    const slug = await newSubcortex();
    const first = await heldThread(agentKey, slug, `Batch one ${slug}`);
    const second = await heldThread(agentKey, slug, `Batch two ${slug}`);
    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    await page.getByRole('button', { name: `thread “Batch one ${slug}”` }).waitFor();
    await page.getByRole('button', { name: `thread “Batch two ${slug}”` }).waitFor();
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByText('2 selected', { exact: true }).waitFor();
    await page.keyboard.press('Shift+A');
    await page.getByTestId('queue-status').filter({ hasText: '2 drafts approved.' }).waitFor();
    for (const draft of [first, second]) {
      assert.equal((await apiOk('GET', `/drafts/${draft.id}`)).state, 'approved');
    }
    await page.goto(`/s/${slug}`);
    await page.getByRole('link', { name: `Batch one ${slug}` }).waitFor();
    await page.getByRole('link', { name: `Batch two ${slug}` }).waitFor();
    assert.deepEqual(events.dialogs, []);
  });

  it('a reviewer edits a draft before approving it', async () => {
    const slug = await newSubcortex();
    const draft = await heldThread(agentKey, slug, `Typo thred ${slug}`);
    const { page } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    await page.getByRole('button', { name: `thread “Typo thred ${slug}”` }).waitFor();
    await page.keyboard.press('e');
    await page.getByLabel('Draft title').fill(`Typo thread ${slug}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('queue-status').filter({ hasText: 'Draft saved' }).waitFor();
    await page.getByRole('button', { name: `thread “Typo thread ${slug}”` }).waitFor();
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Draft approved.' }).waitFor();
    const approved = await apiOk('GET', `/drafts/${draft.id}`);
    assert.equal((await apiOk('GET', `/threads/${approved.materializedId}`)).title, `Typo thread ${slug}`);

    // A reviewer's own draft is decided by someone else: the queue says so instead of asking the server.
    const own = await page.evaluate(async ({ slug }) => {
      const token = (await (await fetch('/api/v1/session')).json()).csrfToken;
      const response = await fetch('/api/v1/drafts', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ kind: 'thread', subcortex: slug, title: `Own ${slug}`, threadKind: 'discussion', body: 'Mine.' }),
      });
      return response.status;
    }, { slug });
    assert.equal(own, 201);
    await page.reload();
    await page.getByRole('button', { name: `thread “Own ${slug}”` }).waitFor();
    await page.getByText('You wrote this draft; another reviewer decides it.').waitFor();
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'You wrote this draft; another reviewer decides it.' }).waitFor();
  });

  it('a member sees no approve buttons, and the API refuses them anyway', async () => {
    const slug = await newSubcortex();
    const agentDraft = await heldThread(agentKey, slug, `Not for members ${slug}`);
    const handle = unique('molly');
    await createHuman(handle, 'member', password);
    const { page, events } = await openPage(browser);
    await signIn(page, handle, password);
    const own = await fetchInPage(page, 'POST', '/drafts', {
      body: { kind: 'thread', subcortex: slug, title: `Member draft ${slug}`, threadKind: 'discussion', body: 'My proposal.' },
      headers: { 'X-CSRF-Token': await csrfToken(page) },
    });
    assert.equal(own.status, 201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My drafts' }).click();
    await page.getByRole('button', { name: `thread “Member draft ${slug}”` }).waitFor();
    assert.equal(await page.getByRole('button', { name: `thread “Not for members ${slug}”` }).count(), 0, "others' drafts are not listed");
    assert.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Reject/ }).count(), 0);
    assert.equal(await page.getByRole('checkbox').count(), 0);
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Only reviewers and admins decide drafts.' }).waitFor();
    await page.keyboard.press('r');
    // Once a later key has been handled, a dialog opened by `r` would be showing.
    await page.keyboard.press('k');
    await page.getByTestId('queue-status').filter({ hasText: 'Already at the first draft.' }).waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0, 'no reason dialog for a member');
    await screenshot(page, 'review-member');

    const headers = { 'X-CSRF-Token': await csrfToken(page) };
    const approve = await fetchInPage(page, 'POST', `/drafts/${agentDraft.id}/approve`, { headers });
    assert.equal(approve.status, 403);
    assert.equal(approve.body.type, 'urn:cortex:problem:forbidden');
    const batch = await fetchInPage(page, 'POST', '/drafts/batch', { body: { items: [{ id: agentDraft.id, action: 'reject', reason: 'no' }] }, headers });
    assert.equal(batch.status, 200);
    assert.equal(batch.body.results[0].status, 403);
    assert.equal((await apiOk('GET', `/drafts/${agentDraft.id}`)).state, 'pending');
    assert.deepEqual(events.dialogs, []);
  });

  it('a proposed edit of a thread is shown as a diff against the thread, and approval applies it', async () => {
    const slug = await newSubcortex();
    // The agent's own thread (approved by the admin): agents may edit what they wrote, through review.
    const created = await heldThread(agentKey, slug, `Runbook ${slug}`, 'Step one.\n\nStep two.');
    const threadId = (await apiOk('POST', `/drafts/${created.id}/approve`)).materializedId;
    const thread = await apiOk('GET', `/threads/${threadId}`);
    const edit = await api('PATCH', `/threads/${thread.id}`, { key: agentKey, body: { body: 'Step one.\n\nStep two, carefully.', version: thread.version } });
    assert.equal(edit.status, 202, `the agent's edit is held for review: ${JSON.stringify(edit.body)}`);
    const { page } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    const diff = page.getByTestId('draft-view').getByTestId('diff');
    await diff.locator('.diff-removed', { hasText: 'Step two.' }).waitFor();
    await diff.locator('.diff-added', { hasText: 'Step two, carefully.' }).waitFor();
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Draft approved.' }).waitFor();
    assert.equal((await apiOk('GET', `/threads/${thread.id}`)).body, 'Step one.\n\nStep two, carefully.');
  });

  it("an agent's artifact version is shown as a diff against canon; approved, it becomes a version of the artifact", async () => {
    const slug = await newSubcortex();
    const artifact = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: `Backup runbook ${slug}`, kind: 'runbook' } });
    await apiOk('POST', `/artifacts/${artifact.id}/versions`, { body: { body: 'Stop writes.\n\nCopy the volume.' } });
    const other = await apiOk('POST', '/principals', { body: { handle: unique('acc'), displayName: 'Accepting reviewer', kind: 'human', role: 'reviewer' } });
    const { key: reviewerKey } = await apiOk('POST', `/principals/${other.id}/keys`, { body: { name: 'e2e' } });
    await apiOk('POST', `/artifacts/${artifact.id}/versions/1/accept`, { key: reviewerKey });
    const held = await api('POST', `/artifacts/${artifact.id}/versions`, { key: agentKey, body: { body: 'Stop writes.\n\nSnapshot, then copy the volume.', basedOn: 1 } });
    assert.equal(held.status, 202, `the agent's version is held for review: ${JSON.stringify(held.body)}`);

    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}&kind=artifactVersion`);
    const view = page.getByTestId('draft-view');
    await view.getByText('compared with canon v1').waitFor();
    await view.getByTestId('diff').locator('.diff-removed', { hasText: 'Copy the volume.' }).waitFor();
    await view.getByTestId('diff').locator('.diff-added', { hasText: 'Snapshot, then copy the volume.' }).waitFor();
    await screenshot(page, 'review-artifact-version-diff');
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Draft approved.' }).waitFor();
    await page.getByRole('link', { name: 'See where it landed' }).click();
    await page.getByRole('heading', { name: `Backup runbook ${slug}`, level: 1 }).waitFor();
    await page.getByTestId('version-2').getByText('proposed').waitFor();
    await page.locator('.version-body', { hasText: 'Snapshot, then copy the volume.' }).waitFor();
    assert.equal((await apiOk('GET', `/artifacts/${artifact.id}/versions/2`)).body, 'Stop writes.\n\nSnapshot, then copy the volume.');
    assert.equal((await apiOk('GET', `/artifacts/${artifact.id}`)).canonVersion, 1, 'approval proposes the version; canon needs the canon gate');
    assert.deepEqual(events.pageErrors, []);
  });

  it('the queue fits a phone screen and still works from the keyboard', async () => {
    const slug = await newSubcortex();
    await heldThread(agentKey, slug, `Phone ${slug}`, 'A line long enough to wrap on a phone screen, with `some code` and more words after it.');
    const { page } = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    await page.getByTestId('draft-view').getByText('some code').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at phone width`);
    await screenshot(page, 'review-queue-phone');
    await page.keyboard.press('a');
    await page.getByTestId('queue-status').filter({ hasText: 'Draft approved.' }).waitFor();
  });

  it('XSS payloads in draft titles and bodies never execute', async () => {
    const slug = await newSubcortex();
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: `XSS context ${slug}`, body: 'Context.' } });
    const threadDraft = await heldThread(agentKey, slug, titlePayload, bodyPayload);
    const commentDraft = await heldComment(agentKey, thread.id, bodyPayload);
    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/review?subcortex=${slug}`);
    await page.getByRole('heading', { name: titlePayload }).waitFor();
    await page.getByTestId('draft-view').locator('p', { hasText: 'click me' }).waitFor();
    await assertNothingRan(page, events, 'the review queue (thread draft)');
    await page.getByRole('button', { name: /^comment “/ }).first().click();
    await page.getByTestId('draft-view').getByRole('link', { name: `XSS context ${slug}` }).waitFor();
    await page.getByTestId('draft-view').locator('p', { hasText: 'click me' }).waitFor();
    await assertNothingRan(page, events, 'the review queue (comment draft)');
    await page.goto(`/drafts/${threadDraft.id}`);
    await page.getByRole('heading', { name: titlePayload }).waitFor();
    await assertNothingRan(page, events, 'the draft page');
    await page.goto(`/drafts/${commentDraft.id}`);
    await page.getByTestId('draft-view').locator('p', { hasText: 'click me' }).waitFor();
    await assertNothingRan(page, events, 'the comment draft page');
  });
});
