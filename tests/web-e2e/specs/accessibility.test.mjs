// Keyboard and screen-reader basics on every main page: one h1, a skip link first in the tab order, focus on the main
// content after opening a page, and a name on every control (fields by label or aria-label, buttons and links by text).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOk, launch, openPage, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

/** The controls on the page that a keyboard or screen-reader user could not tell apart: no accessible name. */
function unnamedControls(page) {
  return page.evaluate(() => {
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const byIds = (ids) => (ids ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    const nameOf = (el) => {
      const aria = el.getAttribute('aria-label') ?? byIds(el.getAttribute('aria-labelledby'));
      const labels = 'labels' in el && el.labels ? [...el.labels].map((l) => l.textContent).join(' ') : '';
      const text = el.matches('button, a') ? el.textContent : '';
      return `${aria} ${labels} ${text}`.trim();
    };
    return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
      .filter(visible)
      .filter((el) => nameOf(el) === '')
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

describe('accessibility of the main pages', () => {
  let browser;
  const pages = [];
  before(async () => {
    browser = await launch();
    const slug = unique('a11y');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Accessible ${slug}` } });
    const thread = await apiOk('POST', `/subcortexes/${slug}/threads`, { body: { title: 'Labelled', body: 'Every control has a name.' } });
    const artifact = await apiOk('POST', '/artifacts', { body: { subcortex: slug, title: 'Checklist', kind: 'spec' } });
    await apiOk('POST', `/artifacts/${artifact.id}/versions`, { body: { body: 'First version.' } });
    pages.push(
      '/',
      `/s/${slug}`,
      `/s/${slug}/new`,
      `/t/${thread.id}`,
      `/s/${slug}/artifacts`,
      `/a/${artifact.id}`,
      '/search?q=labelled',
      '/review',
      '/tasks',
      '/notifications',
      '/settings/keys',
      '/manage/principals',
      '/manage/operations',
    );
  });
  after(async () => {
    await browser?.close();
  });

  it('have one h1, a skip link first in the tab order, focus on the content, and a name on every control', async () => {
    const { page, events } = await openPage(browser);
    await signIn(page, 'admin', adminPassword);
    for (const address of pages) {
      await page.goto(address);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, `${address} has one h1`);
      assert.deepEqual(await unnamedControls(page), [], `controls without a name on ${address}`);
      const first = await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')?.outerHTML);
      assert.match(first ?? '', /^<a class="skip-link" href="#main">Skip to content<\/a>$/, `the first stop in the tab order on ${address}`);
      // A page change moves focus to the main content, so keyboard users start there.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `focus after opening ${address}`);
    }
    assert.deepEqual(events.pageErrors, []);
  });

  it('fit a phone screen without sideways scrolling', async () => {
    const { page } = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(page, 'admin', adminPassword);
    for (const address of pages) {
      await page.goto(address);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${address} scrolls sideways by ${overflow}px at phone width`);
    }
  });

  it('the sign-in form is labelled too', async () => {
    const { page } = await openPage(browser);
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Cortex' }).waitFor();
    assert.deepEqual(await unnamedControls(page), []);
  });
});
