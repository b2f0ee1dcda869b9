// cortex-web, the docker-compose service that serves the built app with nginx and proxies /api, /admin and /hubs to
// cortex-api. The repository's deploy/docker/nginx.conf runs here in Debian's nginx (no docker daemon needed), pointed
// at the server under test; Chromium signs in and co-edits through it, WebSocket included.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { editorText, editTogether, settled, typeAtEnd, waitFor } from '../lib/editor.mjs';
import { apiOk, baseUrl, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const nginxBinary = process.env.CORTEX_E2E_NGINX ?? '/usr/sbin/nginx';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The compose service's site config with the addresses of this run: each edit must still find its line. */
async function siteConfig(port) {
  const api = new URL(baseUrl);
  let config = await readFile(path.join(repository, 'deploy/docker/nginx.conf'), 'utf8');
  for (const [from, to] of [
    ['server cortex-api:8080;', `server 127.0.0.1:${api.port};`],
    ['listen 8080;', `listen 127.0.0.1:${port};`],
    ['root /usr/share/nginx/html;', `root ${path.join(repository, 'web/dist')};`],
  ]) {
    assert.ok(config.includes(from), `deploy/docker/nginx.conf no longer has "${from}"`);
    config = config.replace(from, to);
  }
  return config;
}

describe('cortex-web (nginx in front of cortex-api)', () => {
  let browser;
  let nginx;
  let origin;
  before(async () => {
    browser = await launch();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cortex-web-'));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    await writeFile(path.join(dir, 'site.conf'), await siteConfig(port));
    for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      await mkdir(path.join(dir, temp));
    }
    // The image's nginx.conf around our site: only paths differ (a writable prefix instead of /var).
    await writeFile(
      path.join(dir, 'nginx.conf'),
      `daemon off;
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
    );
    nginx = spawn(nginxBinary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
    await waitFor('nginx to serve the app', async () => {
      const answer = await fetch(`${origin}/`).catch(() => undefined);
      return { ok: answer?.status === 200 };
    });
  });
  after(async () => {
    nginx?.kill('SIGQUIT');
    await browser?.close();
  });

  it('serves the app with the same security headers as core-server, and the app shell for client routes', async () => {
    const [viaNginx, direct] = await Promise.all([fetch(`${origin}/s/anything`), fetch(`${baseUrl}/s/anything`)]);
    assert.equal(viaNginx.status, 200);
    assert.match(await viaNginx.text(), /<div id="app">|<script type="module"/);
    for (const header of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy']) {
      assert.equal(viaNginx.headers.get(header), direct.headers.get(header), `${header} differs between cortex-web and core-server`);
    }
    const ready = await fetch(`${origin}/readyz`);
    assert.equal(ready.status, 200, 'operations endpoints are proxied');
    const missing = await fetch(`${origin}/api/v1/principals/me`);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  it('signs in and co-edits a thread body through the proxy, WebSocket included', async () => {
    const slug = unique('web');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Behind nginx ${slug}` } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: 'Proxied', body: 'Through nginx.' } });
    const { page, events } = await openPage(browser, { origin });
    await signIn(page, 'admin', process.env.CORTEX_E2E_ADMIN_PASSWORD);
    await page.goto(`/t/${thread.id}`);
    await editTogether(page);
    await typeAtEnd(page, ' And back.');
    await settled(page);
    assert.equal(await editorText(page), 'Through nginx. And back.');
    assert.equal((await apiOk('GET', `/threads/${thread.id}`)).body, 'Through nginx. And back.');
    await screenshot(page, 'cortex-web-nginx');
    assert.deepEqual(events.pageErrors, []);
    assert.deepEqual(events.cspViolations, []);
  });
});
