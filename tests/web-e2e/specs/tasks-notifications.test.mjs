// Tasks and live notifications in real Chromium: a task assigned to someone in one browser shows up in the
// assignee's header badge in another browser without a reload; they read it, and work the task.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOk, createHuman, launch, openPage, screenshot, signIn, unique } from '../lib/harness.mjs';

const adminPassword = process.env.CORTEX_E2E_ADMIN_PASSWORD;

describe('tasks and notifications', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('assigning a task notifies the assignee live; they mark it read and move the task on', async () => {
    const password = 'tasks-pass-1234';
    const carolHandle = unique('carol');
    const carol = await createHuman(carolHandle, 'member', password);
    const slug = unique('work');
    await apiOk('POST', '/subcortexes', { body: { slug, name: `Work ${slug}`, description: '', isPrivate: false } });
    const title = `Rotate the ${unique('db')} credentials`;

    // Carol is signed in and idle on the subcortex list: nothing unread.
    const c = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(c.page, carolHandle, password);
    await c.page.getByRole('link', { name: /^Notifications/ }).waitFor();
    assert.equal(await c.page.getByTestId('unread-count').count(), 0);

    // The admin files a task for Carol from the Tasks page.
    const a = await openPage(browser);
    await signIn(a.page, 'admin', adminPassword);
    await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    await a.page.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    await a.page.getByLabel('Subcortex').selectOption(slug);
    await a.page.getByLabel('Title').fill(title);
    await a.page.getByLabel('Description (optional)').fill('Both replicas, then revoke the old ones.');
    await a.page.getByLabel('Assign to').selectOption(carol.id);
    await a.page.getByLabel('Due date (optional)').fill('2030-01-15');
    await a.page.getByRole('button', { name: 'Create task' }).click();
    await a.page.getByRole('status').filter({ hasText: `Task "${title}" created.` }).waitFor();
    // Assigned to Carol, so not in the admin's "assigned to me" list; "Anyone" shows it.
    await a.page.getByLabel('Assignee', { exact: true }).selectOption('any');
    await a.page.getByTestId('task').filter({ hasText: title }).waitFor();
    await screenshot(a.page, 'tasks');

    // Carol's badge counts it, live.
    await c.page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor({ timeout: 30000 });
    await screenshot(c.page, 'notification-badge-phone');
    await c.page.getByRole('link', { name: /^Notifications/ }).click();
    const item = c.page.getByTestId('notification').filter({ hasText: title });
    await item.getByText('Task assigned to you').waitFor();
    await screenshot(c.page, 'notifications');
    await item.getByRole('button', { name: `Mark "${title}" as read` }).click();
    await c.page.getByTestId('unread-summary').filter({ hasText: 'Nothing unread.' }).waitFor();
    assert.equal(await c.page.getByTestId('unread-count').count(), 0);

    // The notification leads to the task; Carol starts it.
    await item.getByRole('link', { name: title }).click();
    await c.page.getByRole('heading', { name: title }).waitFor();
    await c.page.getByLabel('State', { exact: true }).selectOption('inProgress');
    await c.page.getByRole('button', { name: 'Save' }).click();
    await c.page.getByTestId('task-state').filter({ hasText: 'In progress' }).waitFor();

    // Her task list: in "Not finished", gone from "Done", and marked done from the list.
    await c.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    const row = c.page.getByTestId('task').filter({ hasText: title });
    await row.waitFor();
    await c.page.getByLabel('State', { exact: true }).selectOption('done');
    await c.page.getByText('No tasks yet.').waitFor();
    await c.page.getByLabel('State', { exact: true }).selectOption('active');
    await row.getByLabel(`State of "${title}"`).selectOption('done');
    await c.page.getByRole('status').filter({ hasText: `"${title}" is now done.` }).waitFor();
    const tasks = await apiOk('GET', `/tasks?assignee=${carol.id}&state=done`);
    assert.deepEqual(
      tasks.items.map((t) => t.title),
      [title],
    );
    await screenshot(c.page, 'tasks-phone');

    for (const { events } of [a, c]) {
      assert.deepEqual(events.pageErrors, []);
      assert.deepEqual(events.cspViolations, []);
    }
    await a.context.close();
    await c.context.close();
  });
});
