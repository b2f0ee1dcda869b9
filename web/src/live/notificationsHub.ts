import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { keepConnected, type LinkState } from './hubConnection';
import { reconnectDelay } from './retry';

export const notificationsHubPath = '/hubs/notifications';

/**
 * Listens on the notifications hub (JSON protocol) for the signed-in principal's new notifications. The session
 * cookie authenticates the WebSocket upgrade (a GET, so no CSRF token). Returns `stop`.
 */
export function listenForNotifications(handlers: { onNotification: (payload: unknown) => void; onState: (state: LinkState) => void }): () => Promise<void> {
  const connection = new HubConnectionBuilder()
    .withUrl(notificationsHubPath, { transport: HttpTransportType.WebSockets, skipNegotiation: true })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => reconnectDelay(context.previousRetryCount) })
    .configureLogging(LogLevel.None)
    .build();
  connection.on('notification', handlers.onNotification);
  const link = keepConnected(connection, handlers.onState);
  return link.stop;
}
