const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

let installed = false;

/**
 * The Amplify realtime client always dials `wss://<graphql endpoint>/realtime`, but the local
 * runtime has no TLS. For loopback hosts only, rewrite that to `ws://`; any other host is left
 * alone, so nothing here can downgrade a connection to a real server.
 */
export const routeLocalRealtimeOverPlainWebSocket = (): void => {
  if (installed) return;
  installed = true;
  const NativeWebSocket = window.WebSocket;
  const toPlain = (url: string | URL): string | URL => {
    const parsed = new URL(url.toString());
    if (parsed.protocol !== 'wss:' || !LOCAL_HOSTS.has(parsed.hostname)) return url;
    parsed.protocol = 'ws:';
    return parsed.toString();
  };
  class LocalWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(toPlain(url), protocols);
    }
  }
  window.WebSocket = LocalWebSocket;
};
