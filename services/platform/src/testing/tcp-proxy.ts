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

/**
 * A loopback TCP balancer in front of replicas, as a Kubernetes Service spreads connections over the
 * ready pods of a Deployment: each new connection goes to the next target in turn; a target that
 * refuses the connection is skipped for the next one. `setTargets` is the Service's endpoints
 * changing (a replica added once ready, removed before it is stopped). HTTP keep-alive and gRPC
 * connections stay on the replica they reached, as they do behind kube-proxy.
 */
export interface TcpBalancer {
  port: number;
  url(scheme: string, path?: string): string;
  setTargets(targets: Array<{ host: string; port: number }>): void;
  close(): Promise<void>;
}

export async function startTcpBalancer(initial: Array<{ host: string; port: number }> = []): Promise<TcpBalancer> {
  let targets = [...initial];
  let next = 0;
  const sockets = new Set<net.Socket>();
  const dial = (client: net.Socket, attemptsLeft: number) => {
    const target = targets[next++ % Math.max(targets.length, 1)];
    if (!target || attemptsLeft === 0) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    let connected = false;
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.on('error', close).on('close', close);
      upstream.on('close', close);
    });
    upstream.on('error', () => {
      if (connected) return close();
      sockets.delete(upstream);
      upstream.destroy();
      dial(client, attemptsLeft - 1);
    });
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    client.on('error', () => client.destroy());
    dial(client, targets.length);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: (scheme, path = '') => `${scheme}://127.0.0.1:${port}${path}`,
    setTargets(list) {
      targets = [...list];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        server.close(() => resolve());
      }),
  };
}
