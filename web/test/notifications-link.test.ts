import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Endpoints } from '../src/api/endpoints';
import type { LinkState } from '../src/live/hubConnection';

type Handlers = { onNotification: (payload: unknown) => void; onState: (state: LinkState) => void };
const hub: { handlers?: Handlers } = {};

vi.mock('../src/live/notificationsHub', () => ({
  listenForNotifications: (handlers: Handlers) => {
    hub.handlers = handlers;
    return () => Promise.resolve();
  },
}));

const { notificationStore } = await import('../src/live/notificationStore');

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('notification link state', () => {
  afterEach(() => notificationStore.stop());

  it("reports 'connected' only once the unread count has been re-read after connecting", async () => {
    const counts = [deferred<{ count: number }>(), deferred<{ count: number }>()];
    let calls = 0;
    const api = { notifications: { unreadCount: () => counts[calls++]!.promise } } as unknown as Endpoints;

    const started = notificationStore.start(api);
    await vi.waitFor(() => expect(hub.handlers).toBeDefined());
    counts[0]!.resolve({ count: 1 });
    await started;
    expect(notificationStore.state.unread).toBe(1);

    hub.handlers!.onState('connected');
    await vi.waitFor(() => expect(calls).toBe(2));
    expect(notificationStore.link).not.toBe('connected');

    counts[1]!.resolve({ count: 3 });
    await vi.waitFor(() => expect(notificationStore.link).toBe('connected'));
    expect(notificationStore.state.unread).toBe(3);

    hub.handlers!.onState('reconnecting');
    await vi.waitFor(() => expect(notificationStore.link).toBe('reconnecting'));
  });
});
