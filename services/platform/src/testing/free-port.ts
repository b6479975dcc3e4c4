import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports handed out lie below the range the OS gives the local ends of outgoing connections (32768–60999
 * on Linux, 49152 and up elsewhere). A port from `listen(0)` lies in that range, and between the probe
 * closing it and the service listening on it, any connection on the machine could be given it as its
 * local port: a campaign-service in a CI run once failed to start with EADDRINUSE that way.
 */
const range = { first: 20_000, size: 12_000 };
/** A reservation outlives a service's start-up: by then it listens on the port, or it never will. */
const reservedForMs = 60_000;
const reservations = join(tmpdir(), 'ektola-test-ports');

/**
 * A free loopback port for a service whose config needs one up front. Each port is reserved for a
 * minute by a file of its own, so test processes running side by side never pick the same one, and it
 * is handed out only if nothing listens on it now.
 */
export async function freePort(): Promise<number> {
  mkdirSync(reservations, { recursive: true });
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const port = range.first + Math.floor(Math.random() * range.size);
    if (reserve(join(reservations, String(port))) && (await listenable(port))) return port;
  }
  throw new Error(`no free loopback port between ${range.first} and ${range.first + range.size - 1}`);
}

function reserve(file: string): boolean {
  try {
    closeSync(openSync(file, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    if (Date.now() - statSync(file).mtimeMs < reservedForMs) return false;
    // An expired reservation: whoever removes and creates it first holds the port.
    unlinkSync(file);
    closeSync(openSync(file, 'wx'));
    return true;
  } catch {
    return false;
  }
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
