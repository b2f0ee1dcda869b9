// XSS payloads and the check that none of them ran, shared by the specs that render user content. The listeners
// are openPage()'s: dialogs, page errors and CSP violations are recorded there.
import assert from 'node:assert/strict';

/** Each payload tries to set window.__xss or open a dialog if it ever runs. */
export const titlePayload = `<img src=x onerror="window.__xss='title';alert('title')"><script>window.__xss='title-script'</script>`;
export const bodyPayload = [
  '<script>window.__xss = "body-script"; alert("body")</script>',
  '<img src=x onerror="window.__xss=\'body-img\'">',
  '<svg onload="window.__xss=\'body-svg\'"></svg>',
  '[click me](javascript:window.__xss=%27body-link%27)',
  '<a href="javascript:alert(1)">raw link</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '![pic](x" onerror="window.__xss=\'body-md-img\')',
].join('\n\n');

export async function assertNothingRan(page, events, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `a script ran on ${where}`);
  assert.deepEqual(events.dialogs, [], `a dialog opened on ${where}`);
  assert.deepEqual(events.pageErrors, [], `page errors on ${where}`);
  assert.deepEqual(events.cspViolations, [], `an inline script was attempted on ${where}`);
  const handlers = await page.evaluate(
    () => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
  );
  assert.equal(handlers, 0, `an element with an inline event handler exists on ${where}`);
  const scriptLinks = await page.evaluate(
    () =>
      [...document.querySelectorAll('a[href], iframe[src]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? ''))
        .length,
  );
  assert.equal(scriptLinks, 0, `a javascript: link exists on ${where}`);
}
