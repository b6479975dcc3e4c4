import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/postgres/database.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.ts';

const logger = createLogger({ service: 'test', level: 'silent' });

/**
 * A proxy in front of PostgreSQL that drops a connection at the moment the driver asks for the
 * server's array types (the first statement on every new connection) and then refuses connections
 * until it is opened again: a database going away while a pool opens a connection.
 */
async function startDroppingProxy(target: URL) {
  let dropped = 0;
  let port = 0;
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('data', (chunk: Buffer) => {
          if (dropped === 0 && chunk.includes('typarray')) {
            dropped++;
            close();
            server?.close();
            server = undefined;
            return;
          }
          upstream.write(chunk);
        });
        upstream.pipe(client);
        client.on('error', close).on('close', close);
        upstream.on('error', close).on('close', close);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();

  return {
    get port() {
      return port;
    },
    dropped: () => dropped,
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server) server.close(() => resolve());
        else resolve();
      }),
  };
}

let database: TestDatabase;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  database = await createTestDatabase();
  process.on('unhandledRejection', recordUnhandled);
});

afterAll(async () => {
  process.off('unhandledRejection', recordUnhandled);
  await database.drop();
});

describe('a pool whose new connection is lost while it fetches the array types', () => {
  it('when the connection drops and the server then refuses, then the waiting query fails with the refusal, nothing escapes as an unhandled rejection, and the pool works once the server is back', async () => {
    const proxy = await startDroppingProxy(new URL(database.url));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const sql = createDatabase({ url: url.toString(), logger, max: 1, applicationName: 'connection-loss-test' });
    try {
      await expect(sql`select 1 as one`).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      // Unhandled rejections are reported once the microtask queue drains; give them turns of the loop.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(proxy.dropped()).toBe(1);
      expect(unhandled).toEqual([]);

      await proxy.open();
      // The types are fetched on the new connection: arrays still travel as arrays.
      const [row] = await sql<Array<{ ids: string[] }>>`select ${['a', 'b']}::text[] as ids`;
      expect(row?.ids).toEqual(['a', 'b']);
    } finally {
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });
});
