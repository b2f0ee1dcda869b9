// Helpers for the live editor (CodeMirror in a shadow root, bound to a yjs document over the sync hub), shared by the
// co-editing specs.

/** The document's text as the editor shows it, without the other people's caret labels or the placeholder. */
export function editorText(page) {
  return page.getByTestId('collab-content').evaluate((content) =>
    [...content.querySelectorAll('.cm-line')]
      .map((line) => {
        const copy = line.cloneNode(true);
        copy.querySelectorAll('.remote-caret, .cm-placeholder, .cm-widgetBuffer').forEach((n) => n.remove());
        return copy.textContent;
      })
      .join('\n'),
  );
}

/** Polls `check` (which returns `{ ok, ...details }`) until ok, or fails with the last details. */
export async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last.ok) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

/** Waits until the editor says everything is stored (synced, nothing pending). */
export async function settled(page) {
  await page.locator('[data-testid=collab-status][data-state=synced][data-pending=false]').waitFor({ timeout: 20000 });
}

/** Opens the live editor with the page's "Edit together" button and waits for the server's copy. */
export async function editTogether(page) {
  await page.getByRole('button', { name: 'Edit together' }).click();
  await page.getByTestId('collab-content').waitFor();
  await settled(page);
}

/** Puts the caret at the end of the document and types. */
export async function typeAtEnd(page, text) {
  await page.getByTestId('collab-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: 5 });
}

export async function typeAtStart(page, text) {
  await page.getByTestId('collab-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(text, { delay: 5 });
}
