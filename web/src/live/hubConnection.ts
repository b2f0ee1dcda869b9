import { HubConnectionState, type HubConnection } from '@microsoft/signalr';
import { reconnectDelay } from './retry';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * Keeps a SignalR connection up for as long as it is wanted: the first start is retried until it succeeds, SignalR's
 * automatic reconnect covers drops, and when that gives up (or the server closed the connection) it starts over.
 * Returns `stop`.
 */
export function keepConnected(connection: HubConnection, onState: (state: LinkState) => void): { ready: () => Promise<void>; stop: () => Promise<void> } {
  let wanted = true;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: Array<{ resolve: () => void }> = [];

  const connected = () => {
    attempt = 0;
    onState('connected');
    for (const waiter of waiters.splice(0)) {
      waiter.resolve();
    }
  };

  const start = () => {
    timer = undefined;
    if (!wanted || connection.state !== HubConnectionState.Disconnected) {
      return;
    }
    onState(attempt === 0 ? 'connecting' : 'reconnecting');
    connection.start().then(connected, () => {
      if (wanted) {
        onState('disconnected');
        timer = setTimeout(start, reconnectDelay(++attempt));
      }
    });
  };

  // The browser knows at once when the network goes away; without this the connection would look alive until
  // the server's keep-alive times out (30 s), and edits would seem saved when they are not.
  const offline = () => {
    if (connection.state !== HubConnectionState.Disconnected) {
      void connection.stop();
    }
  };
  const online = () => {
    if (timer) {
      clearTimeout(timer);
    }
    attempt = 0;
    start();
  };
  const hasWindow = typeof window !== 'undefined';
  if (hasWindow) {
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
  }

  connection.onreconnecting(() => onState('reconnecting'));
  connection.onreconnected(() => connected());
  connection.onclose(() => {
    if (wanted) {
      onState('disconnected');
      attempt = 1;
      timer = setTimeout(start, reconnectDelay(attempt));
    }
  });
  start();

  return {
    ready: () =>
      connection.state === HubConnectionState.Connected
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push({ resolve });
          }),
    stop: async () => {
      wanted = false;
      if (hasWindow) {
        window.removeEventListener('offline', offline);
        window.removeEventListener('online', online);
      }
      if (timer) {
        clearTimeout(timer);
      }
      waiters = [];
      await connection.stop();
      onState('disconnected');
    },
  };
}
