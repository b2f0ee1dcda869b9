import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepConnected, type LinkState } from '../src/live/hubConnection';

/** Just enough of a SignalR HubConnection: start succeeds only while `reachable`. */
class FakeConnection {
  state: HubConnectionState = HubConnectionState.Disconnected;
  reachable = true;
  starts = 0;
  #close: Array<(error?: Error) => void> = [];

  async start(): Promise<void> {
    this.starts++;
    this.state = HubConnectionState.Connecting;
    await Promise.resolve();
    if (!this.reachable) {
      this.state = HubConnectionState.Disconnected;
      throw new Error('Failed to connect');
    }
    this.state = HubConnectionState.Connected;
  }

  async stop(): Promise<void> {
    this.state = HubConnectionState.Disconnected;
    for (const handler of this.#close) {
      handler();
    }
  }

  onclose(handler: (error?: Error) => void) {
    this.#close.push(handler);
  }

  onreconnecting() {}
  onreconnected() {}
}

describe('keepConnected', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('window', new EventTarget());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('retries the first start until the server is reachable', async () => {
    const connection = new FakeConnection();
    connection.reachable = false;
    const states: LinkState[] = [];
    const link = keepConnected(connection as unknown as HubConnection, (s) => states.push(s));
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['connecting', 'disconnected']);
    connection.reachable = true;
    await vi.advanceTimersByTimeAsync(500);
    const ready = link.ready();
    await vi.advanceTimersByTimeAsync(0);
    await ready;
    expect(states.at(-1)).toBe('connected');
    await link.stop();
  });

  it("drops the connection at once when the browser goes offline, and reconnects when it is back", async () => {
    const connection = new FakeConnection();
    const states: LinkState[] = [];
    const link = keepConnected(connection as unknown as HubConnection, (s) => states.push(s));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toBe('connected');

    connection.reachable = false;
    window.dispatchEvent(new Event('offline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toBe('disconnected');
    // Retries keep failing while offline...
    await vi.advanceTimersByTimeAsync(3000);
    expect(connection.state).toBe(HubConnectionState.Disconnected);

    // ...and the 'online' event reconnects without waiting for the next retry.
    connection.reachable = true;
    const before = connection.starts;
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.starts).toBe(before + 1);
    expect(states.at(-1)).toBe('connected');

    await link.stop();
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(10000);
    expect(connection.state).toBe(HubConnectionState.Disconnected);
  });
});
