import { CONNECTION_STATE_CHANGE, ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';

/** The realtime connection as people need to know it. */
export type LiveState = 'connecting' | 'live' | 'interrupted' | 'failed';

const liveStateOf = (state: ConnectionState): LiveState | undefined => {
  switch (state) {
    // The socket is open and delivering; a late keep-alive alone is no lost connection (the
    // client closes it and reports ConnectionDisrupted when one really is lost).
    case ConnectionState.ConnectedPendingKeepAlive:
    case ConnectionState.Connected:
      return 'live';
    case ConnectionState.Connecting:
      return 'connecting';
    case ConnectionState.ConnectionDisrupted:
    case ConnectionState.ConnectionDisruptedPendingNetwork:
    case ConnectionState.ConnectedPendingNetwork:
      return 'interrupted';
    case ConnectionState.ConnectedPendingDisconnect:
    case ConnectionState.Disconnected:
      // Between subscriptions (a page change); the subscription's own error says more.
      return undefined;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
};

let latest: LiveState | undefined;
const listeners = new Set<(live: LiveState) => void>();

// One listener for the app's lifetime: Hub reports only changes, so a page that subscribes while
// the socket is already open would otherwise never hear that it is connected.
Hub.listen('api', ({ payload }) => {
  if (payload.event !== CONNECTION_STATE_CHANGE) return;
  const { connectionState } = payload.data as { connectionState: ConnectionState };
  const live = liveStateOf(connectionState);
  if (connectionState === ConnectionState.Disconnected) latest = undefined;
  if (live === undefined) return;
  latest = live;
  for (const listener of listeners) listener(live);
});

/** Calls `listener` with the connection state now (if known) and on every change; returns stop. */
export const listenToLiveState = (listener: (live: LiveState) => void): (() => void) => {
  listeners.add(listener);
  if (latest !== undefined) listener(latest);
  return () => {
    listeners.delete(listener);
  };
};
