// Shared helpers for the end-to-end specs: the server under test (started by run.sh), its API, and a real
// headless Chromium (Debian's) driven by playwright-core.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the specs through tests/web-e2e/run.sh, which starts the server.`);
  }
  return value;
}

export const baseUrl = required('CORTEX_E2E_URL');
export const adminKey = required('CORTEX_E2E_ADMIN_KEY');
export const artifacts = required('CORTEX_E2E_ARTIFACTS');
export const chromiumPath = process.env.CORTEX_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Calls the API with an API key (as scripts and agents do); returns status, content type and parsed body. */
export async function api(method, urlPath, { key = adminKey, body, headers = {} } = {}) {
  const response = await fetch(new URL(`/api/v1${urlPath}`, baseUrl), {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, type, body: text && type.includes('json') ? JSON.parse(text) : text };
}

/** Like api(), but fails the test unless the status is the expected one. */
export async function apiOk(method, urlPath, options = {}, expected = [200, 201, 204]) {
  const answer = await api(method, urlPath, options);
  if (!expected.includes(answer.status)) {
    throw new Error(`${method} ${urlPath} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

let counter = 0;
/** A unique, slug-safe suffix per call within a run. */
export function unique(prefix) {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function createHuman(handle, role, password) {
  const principal = await apiOk('POST', '/principals', { body: { handle, displayName: `Test ${handle}`, kind: 'human', role } });
  await apiOk('PUT', `/principals/${principal.id}/password`, { body: { password } });
  return principal;
}

export function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh browser context and page (on the server under test, or another `origin` serving the app) that records every
 * dialog (and dismisses it), uncaught page error and Content-Security-Policy violation, so specs can assert that none
 * happened.
 */
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, origin = baseUrl } = {}) {
  const context = await browser.newContext({ baseURL: origin, viewport });
  const page = await context.newPage();
  const events = { dialogs: [], pageErrors: [], cspViolations: [] };
  page.on('dialog', (dialog) => {
    events.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => events.pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      events.cspViolations.push(message.text());
    }
  });
  return { context, page, events };
}

export async function signIn(page, handle, password) {
  await page.goto('/sign-in');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('whoami').filter({ hasText: `@${handle}` }).waitFor();
}

export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** The session's CSRF token, read the way the app reads it. */
export async function csrfToken(page) {
  return page.evaluate(async () => {
    const response = await fetch('/api/v1/session');
    return (await response.json()).csrfToken;
  });
}

/** Runs fetch inside the page (so the session cookie goes along) and returns status and body. */
export async function fetchInPage(page, method, urlPath, { body, headers = {} } = {}) {
  return page.evaluate(
    async ({ method, urlPath, body, headers }) => {
      const response = await fetch(`/api/v1${urlPath}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON; keep the text.
      }
      return { status: response.status, body: parsed };
    },
    { method, urlPath, body, headers },
  );
}
