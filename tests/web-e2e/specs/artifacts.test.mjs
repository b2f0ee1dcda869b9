import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { editorText, editTogether, settled, typeAtEnd, typeAtStart, waitFor } from '../lib/editor.mjs';
import { api, apiOk, createHuman, csrfToken, fetchInPage, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';
import { assertNothingRan, bodyPayload, titlePayload } from '../lib/xss.mjs';

const password = 'correct horse battery staple';

describe('artifacts and canon', () => {
  let browser;
  let slug;
  let evidenceThread;
  let authorHandle;
  let reviewerHandle;
  let secondReviewerHandle;
  before(async () => {
    browser = await launch();
    slug = unique('canon');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Canon ${slug}` } });
    // Canon for a runbook here needs one thread as evidence.
    await apiOk('PUT', `/subcortexes/${slug}/templates/runbook`, { body: { minEvidence: 1, evidenceKinds: ['thread'] } });
    evidenceThread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: `Incident ${slug}`, body: 'What happened.' } });
    authorHandle = unique('amy');
    reviewerHandle = unique('rob');
    await createHuman(authorHandle, 'member', password);
    await createHuman(reviewerHandle, 'reviewer', password);
    secondReviewerHandle = unique('rita');
    await createHuman(secondReviewerHandle, 'reviewer', password);
  });
  after(async () => {
    await browser?.close();
  });

  it('a version with evidence is accepted into canon and shows the canon badge', async () => {
    const word = `okapi${process.pid}`;
    const { page: author, events: authorEvents } = await openPage(browser);
    await signIn(author, authorHandle, password);
    await author.goto(`/s/${slug}`);
    await author.getByRole('link', { name: `Artifacts in ${slug}` }).click();
    await author.getByLabel('Artifact title').fill('Restart the payments service');
    await author.getByLabel('Artifact kind').fill('runbook');
    await author.getByRole('button', { name: 'Create artifact' }).click();
    await author.getByRole('heading', { name: 'Restart the payments service', level: 1 }).waitFor();
    const artifactId = new URL(author.url()).pathname.split('/').pop();

    await author.getByRole('button', { name: 'Propose the first version' }).click();
    await author.getByText('1 more needed').waitFor();
    await author.getByLabel('Version text', { exact: true }).fill('# Restart\n\nRun `systemctl restart payments`.');
    await author.getByRole('button', { name: 'Propose version' }).click();
    await author.getByTestId('version-1').getByText('proposed').waitFor();

    // Without evidence the canon gate refuses, and says what is missing.
    const { page: reviewer, events: reviewerEvents } = await openPage(browser);
    await signIn(reviewer, reviewerHandle, password);
    await reviewer.goto(`/a/${artifactId}`);
    await reviewer.getByRole('button', { name: 'Accept v1 into canon' }).click();
    await reviewer.getByRole('alert').filter({ hasText: 'needs at least 1 evidence link(s) of kind thread' }).waitFor();
    await reviewer.getByRole('alert').filter({ hasText: '1 more are missing' }).waitFor();
    await screenshot(reviewer, 'artifact-evidence-missing');

    // The author proposes v2 based on v1, citing the incident thread.
    await author.reload();
    await author.getByRole('button', { name: 'Propose a new version based on v1' }).click();
    await author.getByLabel('Version text', { exact: true }).fill(`# Restart\n\nDrain first (${word}).\n\nRun \`systemctl restart payments\`.`);
    await author.getByRole('button', { name: 'Add evidence' }).click();
    await author.getByLabel('Evidence 1 kind').selectOption('thread');
    await author.getByLabel('Evidence 1 id or URL').fill(evidenceThread.id);
    await author.getByText('this version has enough').waitFor();
    await author.getByRole('button', { name: 'Propose version' }).click();
    await author.getByTestId('version-2').getByText('proposed').waitFor();
    // An author never accepts their own version (and a member accepts none).
    assert.equal(await author.getByRole('button', { name: /into canon/ }).count(), 0);

    await reviewer.reload();
    await reviewer.getByRole('button', { name: 'Accept v2 into canon' }).click();
    await reviewer.getByRole('status').filter({ hasText: 'Version 2 is now canon.' }).waitFor();
    await reviewer.getByTestId('version-2').getByTestId('canon-badge').waitFor();
    await reviewer.getByRole('heading', { name: 'Restart the payments service', level: 1 }).waitFor();
    assert.equal(await reviewer.locator('p.muted').first().getByTestId('canon-badge').count(), 1, 'the artifact carries the canon badge');
    // The evidence links to its thread, and the diff shows what v2 changed.
    await reviewer.getByRole('list', { name: 'Evidence' }).getByRole('link', { name: evidenceThread.id }).waitFor();
    const diff = reviewer.getByTestId('diff');
    await diff.getByText('v1 → v2').waitFor();
    await diff.locator('.diff-added', { hasText: `Drain first (${word})` }).first().waitFor();
    await screenshot(reviewer, 'artifact-canon');

    const artifact = await apiOk('GET', `/artifacts/${artifactId}`);
    assert.equal(artifact.canonVersion, 2);

    // Editing canon proposes a new version; canon stays until it is accepted.
    await reviewer.getByRole('button', { name: 'Edit canon (proposes a new version)' }).click();
    await reviewer.getByLabel('Version text', { exact: true }).fill('# Restart\n\nDrain first, then wait 30 s.\n\nRun `systemctl restart payments`.');
    await reviewer.getByRole('button', { name: 'Propose version' }).click();
    await reviewer.getByTestId('version-3').getByText('proposed').waitFor();
    const v3 = await apiOk('GET', `/artifacts/${artifactId}/versions/3`);
    assert.equal(v3.basedOn, 2);
    assert.deepEqual(v3.evidence, [{ kind: 'thread', target: evidenceThread.id }]);
    assert.equal((await apiOk('GET', `/artifacts/${artifactId}`)).canonVersion, 2);

    // Search ranks and badges it as canon, and leads to it.
    await reviewer.goto(`/search?q=${word}`);
    const hit = reviewer.locator('.result').filter({ hasText: 'Restart the payments service' });
    await hit.getByTestId('canon-badge').waitFor();
    await hit.getByRole('link', { name: 'Restart the payments service' }).click();
    await reviewer.getByRole('heading', { name: 'Restart the payments service', level: 1 }).waitFor();
    await screenshot(reviewer, 'search-canon');

    // The listing shows the canon badge too.
    await reviewer.goto(`/s/${slug}/artifacts`);
    await reviewer.getByRole('row', { name: /Restart the payments service/ }).getByTestId('canon-badge').waitFor();
    await screenshot(reviewer, 'artifacts');

    for (const [page, events] of [
      [author, authorEvents],
      [reviewer, reviewerEvents],
    ]) {
      assert.deepEqual(events.dialogs, []);
      assert.deepEqual(events.pageErrors, []);
    }
  });

  it('two people co-edit a proposed version live; a reviewer who did not edit it accepts exactly what they read', async () => {
    const artifact = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: `Failover ${slug}`, kind: 'runbook' } });
    await apiOk('POST', `/artifacts/${artifact.id}/versions`, {
      body: { body: 'Promote the replica.', evidence: [{ kind: 'thread', target: evidenceThread.id }] },
    });
    const a = await openPage(browser);
    const b = await openPage(browser);
    await signIn(a.page, authorHandle, password);
    await signIn(b.page, reviewerHandle, password);
    for (const { page } of [a, b]) {
      await page.goto(`/a/${artifact.id}?v=1`);
      await editTogether(page);
    }
    assert.equal(await editorText(a.page), 'Promote the replica.');
    await b.page.getByTestId('presence').getByText(`Test ${authorHandle}`).waitFor();

    await typeAtStart(a.page, 'Fence the old primary. ');
    await typeAtEnd(b.page, ' Repoint the clients.');
    await Promise.all([settled(a.page), settled(b.page)]);
    const expected = 'Fence the old primary. Promote the replica. Repoint the clients.';
    await waitFor('both editors to converge', async () => {
      const [ta, tb] = [await editorText(a.page), await editorText(b.page)];
      return { ok: ta === expected && tb === expected, ta, tb };
    });
    const stored = await apiOk('GET', `/artifacts/${artifact.id}/versions/1`);
    assert.equal(stored.body, expected, 'the live text is the version the canon gate reviews');
    assert.equal(stored.state, 'proposed');
    await screenshot(b.page, 'artifact-version-coedit');

    // Rob co-edited it: the page offers him no Accept, and the API refuses him anyway.
    await b.page.getByRole('button', { name: 'Done editing' }).click();
    await b.page.getByTestId('version-editors').getByText(`Test ${reviewerHandle}`).waitFor();
    await b.page.getByTestId('version-1').getByText('You co-edited it').waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'Accept v1 into canon' }).count(), 0);
    const refused = await fetchInPage(b.page, 'POST', `/artifacts/${artifact.id}/versions/1/accept`, {
      headers: { 'X-CSRF-Token': await csrfToken(b.page) },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, 'urn:cortex:problem:self-review');

    // Rita reads it; Amy edits once more before Rita clicks: Rita is shown the new text instead of accepting unread text.
    const c = await openPage(browser);
    await signIn(c.page, secondReviewerHandle, password);
    await c.page.goto(`/a/${artifact.id}?v=1`);
    await c.page.locator('.version-body', { hasText: 'Repoint the clients.' }).waitFor();
    await typeAtEnd(a.page, ' Announce it.');
    await settled(a.page);
    await c.page.getByRole('button', { name: 'Accept v1 into canon' }).click();
    await c.page.getByRole('status').filter({ hasText: 'was edited since you read it' }).waitFor();
    await c.page.locator('.version-body', { hasText: 'Announce it.' }).waitFor();
    assert.equal((await apiOk('GET', `/artifacts/${artifact.id}`)).canonVersion ?? null, null);
    await c.page.getByRole('button', { name: 'Accept v1 into canon' }).click();
    await c.page.getByRole('status').filter({ hasText: 'Version 1 is now canon.' }).waitFor();
    const canon = await apiOk('GET', `/artifacts/${artifact.id}/versions/1`);
    assert.equal(canon.state, 'canon');
    assert.equal(canon.body, `${expected} Announce it.`);

    // Canon is never edited in place: Amy's open editor has its next edit refused, and reopens read-only.
    await typeAtEnd(a.page, ' Too late.');
    await a.page.getByRole('button', { name: 'Reload the document' }).click();
    await a.page.getByTestId('collab-readonly').filter({ hasText: 'canon' }).waitFor();
    assert.equal(await editorText(a.page), `${expected} Announce it.`);
    assert.equal((await apiOk('GET', `/artifacts/${artifact.id}/versions/1`)).body, `${expected} Announce it.`);

    for (const { events } of [a, b, c]) {
      assert.deepEqual(events.dialogs, []);
      assert.deepEqual(events.pageErrors, []);
      assert.deepEqual(events.cspViolations, []);
    }
    await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
  });

  it('a reviewer deprecates an artifact, after which it takes no new versions', async () => {
    const artifact = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: 'Old procedure', kind: 'spec' } });
    const { page } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/a/${artifact.id}`);
    await page.getByRole('button', { name: 'Deprecate', exact: true }).click();
    await page.getByRole('button', { name: 'Deprecate now' }).click();
    await page.locator('.badge', { hasText: 'deprecated' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Propose the first version' }).count(), 0);
    const refused = await api('POST', `/artifacts/${artifact.id}/versions`, { body: { body: 'too late' } });
    assert.equal(refused.status, 409);
  });

  it('a reviewer marks an artifact superseded by another, and it points there', async () => {
    const old = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: `Old spec ${slug}`, kind: 'spec' } });
    const successor = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: `New spec ${slug}`, kind: 'spec' } });
    const { page } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/a/${old.id}`);
    await page.getByLabel('Superseded by').selectOption({ label: `New spec ${slug}` });
    await page.getByRole('button', { name: 'Mark superseded' }).click();
    await page.locator('.badge', { hasText: 'superseded' }).waitFor();
    assert.equal((await apiOk('GET', `/artifacts/${old.id}`)).supersededBy, successor.id);
    await page.getByRole('link', { name: 'another artifact' }).click();
    await page.getByRole('heading', { name: `New spec ${slug}`, level: 1 }).waitFor();
  });

  it('XSS payloads in artifact titles, bodies and evidence never execute', async () => {
    const artifact = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: titlePayload, kind: 'spec' } });
    await apiOk('POST', `/artifacts/${artifact.id}/versions`, {
      body: { body: `First\n\n${bodyPayload}`, evidence: [{ kind: 'url', target: 'https://example.com/"><script>window.__xss=1</script>' }] },
    });
    await apiOk('POST', `/artifacts/${artifact.id}/versions`, { body: { body: `Second\n\n${bodyPayload}\n\n${titlePayload}` } });
    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    await page.goto(`/a/${artifact.id}?v=1`);
    await page.getByRole('heading', { name: titlePayload, level: 1 }).waitFor();
    await page.locator('.version-body p', { hasText: 'click me' }).waitFor();
    await page.getByTestId('diff').waitFor();
    await assertNothingRan(page, events, 'the artifact page');
    await page.goto(`/s/${slug}/artifacts`);
    await page.getByRole('link', { name: titlePayload }).waitFor();
    await assertNothingRan(page, events, 'the artifact list');
  });

  it('search finds by meaning (semantic, hybrid) and by word (keyword), each hit with its trust badge', async () => {
    const word = `zebu${process.pid}`;
    const title = `Humped cattle herds ${word}`;
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, {
      body: { title, body: `Zebu are humped cattle kept by farmers in South Asia for milk, ploughing and hauling (${word}).` },
    });
    // A paraphrase sharing no word with the thread: only the embeddings (computed by the worker run.sh starts) find it.
    const paraphrase = 'cows bred in India that carry a fatty lump';
    await waitFor('the worker to embed the thread', async () => {
      const found = await apiOk('GET', `/search?q=${encodeURIComponent(paraphrase)}&mode=semantic&limit=5`);
      return { ok: found.items.some((hit) => hit.id === thread.id), ids: found.items.map((hit) => hit.id) };
    }, 90000);

    const { page, events } = await openPage(browser);
    await signIn(page, reviewerHandle, password);
    for (const mode of ['semantic', 'hybrid']) {
      await page.goto('/search');
      await page.getByLabel('Search threads and comments').fill(paraphrase);
      await page.getByRole('radio', { name: new RegExp(mode) }).check();
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(new RegExp(`mode=${mode}`));
      const hit = page.locator('.result').filter({ has: page.getByRole('link', { name: title }) });
      await hit.locator('.trust').first().waitFor();
      const expected = (await apiOk('GET', `/search?q=${encodeURIComponent(paraphrase)}&mode=${mode}`)).items.find((h) => h.id === thread.id);
      assert.ok(expected, `the server's ${mode} search finds the thread`);
      assert.equal(await hit.locator('.trust').first().textContent(), expected.trust);
      await screenshot(page, `search-${mode}`);
    }

    await page.getByRole('radio', { name: /keyword/ }).check();
    await page.getByLabel('Search threads and comments').fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === word);
    await page.getByRole('link', { name: title }).waitFor();
    const keyword = await apiOk('GET', `/search?q=${word}&mode=keyword`);
    await page.locator('.result').first().locator('.trust', { hasText: keyword.items[0].trust }).waitFor();
    // A paraphrase shares no word with the thread, so keyword search alone does not find it.
    const literal = await apiOk('GET', `/search?q=${encodeURIComponent(paraphrase)}&mode=keyword`);
    assert.equal(literal.items.some((hit) => hit.id === thread.id), false);
    assert.deepEqual(events.pageErrors, []);
  });
});
