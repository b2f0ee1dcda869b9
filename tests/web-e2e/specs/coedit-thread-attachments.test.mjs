// The thread page: live editing of the thread body (stored as the thread's body) and attachment uploads with a
// progress bar, on a throttled connection so the progress is observable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOk, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

describe('thread page: live body editing and attachments', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('edits the body live, and uploads an attachment with visible progress', async () => {
    const slug = unique('att');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Attachments ${slug}`, description: '', isPrivate: false } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: 'Packet loss on edge', body: 'First notes.', kind: 'incident' } });

    const { page, context, events } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    await page.goto(`/t/${thread.id}`);
    await page.getByRole('heading', { name: 'Packet loss on edge' }).waitFor();

    // Live edit: typed text is stored as the thread body; closing the editor shows the new rendering.
    await page.getByRole('button', { name: 'Edit together' }).click();
    const content = page.getByTestId('collab-content');
    await content.waitFor();
    await page.locator('[data-testid=collab-status][data-state=synced]').waitFor();
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Traced to **router 7**.', { delay: 5 });
    await page.locator('[data-testid=collab-status][data-state=synced][data-pending=false]').waitFor();
    const stored = await apiOk('GET', `/threads/${thread.id}`);
    assert.equal(stored.body, 'First notes. Traced to **router 7**.');
    await page.getByRole('button', { name: 'Done editing' }).click();
    await page.locator('.thread-body strong', { hasText: 'router 7' }).waitFor();

    // Upload 2 MB at 512 kB/s: the progress bar shows partial progress, then the file is listed.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
    const bytes = Buffer.alloc(2 * 1024 * 1024, 7);
    await page.getByLabel('File to attach').setInputFiles({ name: 'capture.pcap', mimeType: 'application/octet-stream', buffer: bytes });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const progress = page.getByTestId('upload-progress').locator('progress');
    await progress.waitFor();
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid=upload-progress] progress');
      return bar instanceof HTMLProgressElement && bar.value > 0 && bar.value < bar.max;
    });
    await screenshot(page, 'attachment-upload-progress');
    const link = page.getByTestId('uploaded').getByRole('link', { name: 'capture.pcap' });
    await link.waitFor({ timeout: 30000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const id = (await link.getAttribute('href')).split('/')[4];
    const attachment = await apiOk('GET', `/attachments/${id}`);
    assert.equal(attachment.size, bytes.length);
    assert.equal(attachment.ownerId, thread.id);
    await screenshot(page, 'thread-attachments');

    assert.deepEqual(events.pageErrors, []);
    assert.deepEqual(events.cspViolations, []);
    await context.close();
  });
});
