// Live co-editing in real Chromium: two browser contexts (the draft's author and a reviewer) edit one draft through
// the sync hub and must converge — with each other and with the body the server stores — including concurrent
// typing and edits made while one of them is offline. Each sees the other's presence.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { editorText, settled, typeAtEnd, typeAtStart, waitFor } from '../lib/editor.mjs';
import { apiOk, createHuman, csrfToken, fetchInPage, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

async function openDraftEditor(page, draftId) {
  await page.goto(`/drafts/${draftId}`);
  const together = page.getByRole('button', { name: 'Edit together' });
  const editor = page.getByTestId('collab-content');
  await Promise.race([editor.waitFor({ timeout: 20000 }), together.waitFor({ timeout: 20000 })]);
  if (await together.isVisible()) {
    await together.click();
  }
  await editor.waitFor();
  await settled(page);
}

describe('live co-editing of a draft', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('two people edit one draft concurrently and converge with each other and the server', async () => {
    const password = 'coedit-pass-1234';
    const aliceHandle = unique('alice');
    const bobHandle = unique('bob');
    await createHuman(aliceHandle, 'member', password);
    await createHuman(bobHandle, 'reviewer', password);
    const slug = unique('coedit');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Co-edit ${slug}`, description: '', isPrivate: false } });

    const a = await openPage(browser);
    const b = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(a.page, aliceHandle, password);
    await signIn(b.page, bobHandle, password);

    // Alice proposes a thread as a draft; the body starts as the server's copy in both editors.
    const created = await fetchInPage(a.page, 'POST', '/drafts', {
      body: { kind: 'thread', subcortex: slug, title: 'Runbook: rotate the keys', threadKind: 'discussion', body: 'Start.' },
      headers: { 'X-CSRF-Token': await csrfToken(a.page), 'Idempotency-Key': unique('draft') },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const draftId = created.body.id;

    await openDraftEditor(a.page, draftId);
    await openDraftEditor(b.page, draftId);
    assert.equal(await editorText(a.page), 'Start.');
    assert.equal(await editorText(b.page), 'Start.');

    // Presence: each sees the other by name.
    await a.page.getByTestId('presence').getByText(`Test ${bobHandle}`).waitFor();
    await b.page.getByTestId('presence').getByText(`Test ${aliceHandle}`).waitFor();

    // Turn by turn.
    await typeAtEnd(a.page, ' Alpha from Alice.');
    await waitFor('Bob to see Alice', async () => ({ ok: (await editorText(b.page)) === 'Start. Alpha from Alice.', text: await editorText(b.page) }));
    await typeAtStart(b.page, 'Bob: ');
    await waitFor('Alice to see Bob', async () => ({ ok: (await editorText(a.page)) === 'Bob: Start. Alpha from Alice.', text: await editorText(a.page) }));
    // Bob's caret (with his name) shows in Alice's editor.
    await a.page.getByTestId('collab-content').locator('.remote-caret', { hasText: `Test ${bobHandle}` }).waitFor();

    // Both at once, at the same end of the text.
    await Promise.all([typeAtEnd(a.page, ' [aaaa aaaa]'), typeAtEnd(b.page, ' [bbbb bbbb]')]);
    await Promise.all([settled(a.page), settled(b.page)]);
    const converged = await waitFor('both editors to converge', async () => {
      const [ta, tb] = [await editorText(a.page), await editorText(b.page)];
      return { ok: ta === tb && ta.includes('[aaaa aaaa]') && ta.includes('[bbbb bbbb]'), ta, tb };
    });
    const stored = await waitFor('the server to store the same body', async () => {
      const draft = await fetchInPage(b.page, 'GET', `/drafts/${draftId}`);
      return { ok: draft.body.body === converged.ta, body: draft.body.body, editor: converged.ta };
    });
    assert.equal(stored.body, converged.ta);
    await screenshot(a.page, 'coedit-author');
    await screenshot(b.page, 'coedit-reviewer-phone');

    // Alice loses the network, keeps typing; Bob edits meanwhile; on reconnect everything merges.
    await a.context.setOffline(true);
    await a.page.locator('[data-testid=collab-status]:not([data-state=synced])').waitFor({ timeout: 45000 });
    await typeAtEnd(a.page, ' Offline note.');
    await a.page.locator('[data-testid=collab-status][data-pending=true]').waitFor();
    await screenshot(a.page, 'coedit-offline');
    await typeAtStart(b.page, 'Online: ');
    await settled(b.page);
    await a.context.setOffline(false);
    await settled(a.page);
    const merged = await waitFor('the offline edit to merge', async () => {
      const [ta, tb] = [await editorText(a.page), await editorText(b.page)];
      return { ok: ta === tb && ta.includes('Offline note.') && ta.startsWith('Online: '), ta, tb };
    });
    await waitFor('the server to store the merged body', async () => {
      const draft = await fetchInPage(b.page, 'GET', `/drafts/${draftId}`);
      return { ok: draft.body.body === merged.ta, body: draft.body.body };
    });

    for (const { events } of [a, b]) {
      assert.deepEqual(events.pageErrors, []);
      assert.deepEqual(events.cspViolations, []);
    }
    await a.context.close();
    await b.context.close();
  });

  it('shows a reader the body live and read-only; the hub stores nothing from them', async () => {
    const password = 'coedit-pass-1234';
    const readerHandle = unique('reader');
    await createHuman(readerHandle, 'reader', password);
    const slug = unique('ro');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Read-only ${slug}`, description: '', isPrivate: false } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: 'Watched closely', body: 'Fixed text.', kind: 'discussion' } });

    const r = await openPage(browser);
    await signIn(r.page, readerHandle, password);
    await r.page.goto(`/t/${thread.id}`);
    await r.page.getByRole('heading', { name: 'Watched closely' }).waitFor();
    assert.equal(await r.page.getByRole('button', { name: 'Edit together' }).count(), 0);
    await r.page.getByRole('button', { name: 'Watch live edits' }).click();
    await settled(r.page);
    await r.page.getByTestId('collab-readonly').waitFor();
    assert.equal(await r.page.getByTestId('collab-content').getAttribute('contenteditable'), 'false');
    assert.equal(await editorText(r.page), 'Fixed text.');

    // The admin edits; the reader sees it happen.
    const w = await openPage(browser);
    await signIn(w.page, 'admin', process.env.CORTEX_E2E_ADMIN_PASSWORD);
    await w.page.goto(`/t/${thread.id}`);
    await w.page.getByRole('button', { name: 'Edit together' }).click();
    await settled(w.page);
    await typeAtEnd(w.page, ' Amended live.');
    await settled(w.page);
    await waitFor('the reader to see the edit', async () => ({ ok: (await editorText(r.page)) === 'Fixed text. Amended live.', text: await editorText(r.page) }));
    await r.page.getByTestId('presence').getByText('Administrator').waitFor();
    await screenshot(r.page, 'coedit-reader-readonly');

    // Typing at the reader's editor changes nothing, locally or on the server. (Focus first leaves the
    // "Stop watching" button, which would otherwise take the keys.)
    await r.page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await r.page.getByTestId('collab-content').click();
    await r.page.keyboard.type('reader was here');
    assert.equal(await editorText(r.page), 'Fixed text. Amended live.');
    const stored = await apiOk('GET', `/threads/${thread.id}`);
    assert.equal(stored.body, 'Fixed text. Amended live.');

    for (const { events } of [r, w]) {
      assert.deepEqual(events.pageErrors, []);
      assert.deepEqual(events.cspViolations, []);
    }
    await r.context.close();
    await w.context.close();
  });
});
