// Edits made offline in a cortexd replica merge into a live web editor: a real `cortex` daemon syncs with the server
// through a TCP link the test cuts and restores (an outage for the daemon alone), edits the thread body while cut off,
// and on reconnect its edit and the browser's concurrent typing converge in the browser, the server and the replica.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { editorText, editTogether, settled, typeAtEnd, waitFor } from '../lib/editor.mjs';
import { apiOk, baseUrl, createHuman, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const run = promisify(execFile);
const cortexBinary = process.env.CORTEX_E2E_CORTEX;
const workspace = process.env.CORTEX_E2E_WORKSPACE;

/** A TCP relay to the server that the test can cut (connections dropped, new ones refused) and restore on the same port. */
class CuttableLink {
  #server;
  #sockets = new Set();
  port = 0;

  async open() {
    const target = new URL(baseUrl);
    this.#server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = this.#server.address().port;
  }

  async cut() {
    const closed = new Promise((resolve) => this.#server.close(resolve));
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    await closed;
  }
}

/** The daemon's loopback API, found and authorized the way the `cortex` CLI does it. */
async function local(method, urlPath, body) {
  const state = path.join(workspace, '.cortex');
  const { port } = JSON.parse(await readFile(path.join(state, 'daemon.json'), 'utf8'));
  const token = (await readFile(path.join(state, 'daemon.token'), 'utf8')).trim();
  const response = await fetch(`http://127.0.0.1:${port}/v1${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  assert.ok(response.ok, `${method} ${urlPath} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

describe('offline edits from a cortexd replica', () => {
  let browser;
  const link = new CuttableLink();
  let daemonStarted = false;
  before(async () => {
    assert.ok(cortexBinary && workspace, 'run through tests/web-e2e/run.sh, which builds cortexd and names its workspace');
    browser = await launch();
    await link.open();
  });
  after(async () => {
    if (daemonStarted) {
      await run(cortexBinary, ['stop'], { cwd: workspace }).catch(() => undefined);
    }
    await link.cut().catch(() => undefined);
    await browser?.close();
  });

  it('merge into the thread body a person is editing live in the browser', async () => {
    const handle = unique('dora');
    const dora = await createHuman(handle, 'member', 'cortexd-pass-1234');
    const { key } = await apiOk('POST', `/principals/${dora.id}/keys`, { body: { name: 'workspace' } });
    const slug = unique('replica');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Replica ${slug}` } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { key, body: { title: 'Shared notes', body: 'Base text.' } });
    const documentId = `thread:${thread.id}`;

    await rm(workspace, { recursive: true, force: true });
    await mkdir(workspace, { recursive: true });
    await run(cortexBinary, ['start'], { cwd: workspace, env: { ...process.env, CORTEX_URL: `http://127.0.0.1:${link.port}`, CORTEX_KEY: key } });
    daemonStarted = true;
    await waitFor('cortexd to connect', async () => ({ ok: (await local('GET', '/status')).connected === true }), 60000);
    assert.equal((await local('GET', `/documents/${encodeURIComponent(documentId)}`)).text, 'Base text.');

    const { page, events } = await openPage(browser);
    await signIn(page, 'admin', process.env.CORTEX_E2E_ADMIN_PASSWORD);
    await page.goto(`/t/${thread.id}`);
    await editTogether(page);
    assert.equal(await editorText(page), 'Base text.');

    // The daemon loses the server; its edit lands in the replica only. The browser keeps typing meanwhile.
    await link.cut();
    await waitFor('cortexd to notice the outage', async () => ({ ok: (await local('GET', '/status')).connected === false }), 30000);
    const offline = await local('POST', `/documents/${encodeURIComponent(documentId)}/edits`, { index: 0, deleteCount: 0, insert: 'From cortexd, offline. ' });
    assert.equal(offline.text, 'From cortexd, offline. Base text.');
    await typeAtEnd(page, ' Typed in the web.');
    await settled(page);
    assert.equal((await apiOk('GET', `/threads/${thread.id}`)).body, 'Base text. Typed in the web.');
    assert.equal(await editorText(page), 'Base text. Typed in the web.');

    // Back online: the daemon's handshake uploads its edit, the server relays it, everyone holds the same text.
    await link.open();
    const merged = 'From cortexd, offline. Base text. Typed in the web.';
    await waitFor('the offline edit to reach the browser', async () => ({ ok: (await editorText(page)) === merged, text: await editorText(page) }), 60000);
    await screenshot(page, 'coedit-cortexd-merged');
    await waitFor('the server to store the merged body', async () => {
      const stored = await apiOk('GET', `/threads/${thread.id}`);
      return { ok: stored.body === merged, body: stored.body };
    });
    await waitFor('the replica to hold the merged body', async () => {
      const replica = await local('GET', `/documents/${encodeURIComponent(documentId)}`);
      return { ok: replica.text === merged, text: replica.text };
    });
    assert.deepEqual(events.pageErrors, []);
    assert.deepEqual(events.cspViolations, []);
  });
});
