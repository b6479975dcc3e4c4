import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedCallback {
  path: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** Verified with the standardwebhooks package against one of the secrets registered for the path. */
  verified: boolean;
}

interface PathBehaviour {
  status: number;
  delayMs: number;
}

/**
 * A business's webhook receiver on localhost: records every callback, verifies each signature with
 * the `standardwebhooks` package, and answers per path as the test says (a status, a delay), or not
 * at all while it is down.
 */
export async function startReceiver(port = 0) {
  const received: ReceivedCallback[] = [];
  const secrets = new Map<string, string[]>();
  const behaviours = new Map<string, PathBehaviour>();
  let server: Server | undefined;
  let boundPort = port;

  const verify = (path: string, body: string, headers: Record<string, string>) =>
    (secrets.get(path) ?? []).some((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });

  async function listen() {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(request.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
        };
        const behaviour = behaviours.get(path) ?? { status: 200, delayMs: 0 };
        setTimeout(() => {
          const event = JSON.parse(body) as { id: string; type: string; data: Record<string, unknown> };
          // A callback counts as received only when it was answered with a success.
          if (behaviour.status >= 200 && behaviour.status < 300)
            received.push({
              path,
              id: event.id,
              type: event.type,
              data: event.data,
              verified: verify(path, body, headers),
            });
          response.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('ok');
        }, behaviour.delayMs);
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => server?.listen(boundPort, '127.0.0.1', resolve));
    boundPort = (server.address() as AddressInfo).port;
  }

  await listen();
  return {
    received,
    url: (path: string) => `http://127.0.0.1:${boundPort}${path}`,
    /** The secrets a receiver at this path verifies with (a rotation's overlap adds the new one). */
    trust(path: string, ...pathSecrets: string[]) {
      secrets.set(path, pathSecrets);
    },
    answer(path: string, behaviour: Partial<PathBehaviour>) {
      behaviours.set(path, { status: 200, delayMs: 0, ...behaviour });
    },
    /** Stops accepting connections (callbacks meet a refused connection), keeping what was received. */
    async down() {
      const closing = server;
      server = undefined;
      closing?.closeAllConnections();
      await new Promise<void>((resolve) => closing?.close(() => resolve()) ?? resolve());
    },
    /** Listens again on the same port. */
    up: listen,
    stop() {
      return this.down();
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
