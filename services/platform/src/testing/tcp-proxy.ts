import net from 'node:net';

/**
 * A loopback TCP proxy a test can cut and restore, to make a real NATS or PostgreSQL server
 * unreachable for one service without stopping the server every other test is using.
 */
export interface TcpProxy {
  port: number;
  url(scheme: string, path?: string): string;
  /** Drops every open connection and refuses new ones. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let port = 0;

  const createServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });

  const listen = (server: net.Server) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const shut = (server: net.Server) =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      server.close(() => resolve());
    });

  let server: net.Server | undefined = createServer();
  await listen(server);

  return {
    get port() {
      return port;
    },
    url: (scheme, path = '') => `${scheme}://127.0.0.1:${port}${path}`,
    async cut() {
      if (server) await shut(server);
      server = undefined;
    },
    async restore() {
      if (server) return;
      server = createServer();
      await listen(server);
    },
    async close() {
      if (server) await shut(server);
      server = undefined;
    },
  };
}
