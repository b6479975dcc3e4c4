import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@ektola/platform/testing';
import type { FaultContext } from './support.ts';

/*
 * A NATS server and a PostgreSQL cluster of the fault suite's own, started from the same binaries and
 * with the same options as deploy/local/ensure-infra.sh starts the shared ones, so the NATS and
 * PostgreSQL scenarios can restart "the" server without cutting every other test, `npm start` or
 * benchmark on the machine off their infrastructure.
 */

const run = promisify(execFile);

async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const settle = (open: boolean) => {
        socket.destroy();
        resolve(open);
      };
      socket.once('connect', () => settle(true)).once('error', () => settle(false));
      socket.setTimeout(1000, () => settle(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export interface PrivateServer {
  url: string;
  /** Stops the server the way its init system would (a clean shutdown), then starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** nats-server with JetStream on a free port and a store directory of its own, as ensure-infra.sh runs it. */
export async function startPrivateNats(): Promise<PrivateServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'ektola-faults-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store];
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn('/usr/sbin/nats-server', args, { stdio: 'ignore' });
    await waitForPort(port, 'nats-server');
  };
  const halt = async () => {
    const current = server;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    async restart(downMs = 0) {
      await halt();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async stop() {
      await halt();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL 15 cluster in a temporary directory on a free port, trusting loopback as the shared one does. */
export async function startPrivatePostgres(version = '15'): Promise<PrivateServer> {
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'ektola-faults-pg-'));
  const data = join(home, 'data');
  // initdb refuses to run as root: as root, the cluster belongs to the postgres user, as Debian's does.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(home, Number(stdout.trim()), Number(group.trim()));
  }
  const as = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  await as(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtl = (action: 'start' | 'stop', extra: string[] = []) =>
    as(`${bin}/pg_ctl`, [
      action,
      '-D',
      data,
      '-w',
      '-t',
      '60',
      ...(action === 'start' ? ['-l', join(home, 'log'), '-o', options] : []),
      ...extra,
    ]);
  await pgCtl('start');
  await waitForPort(port, 'PostgreSQL');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs = 0) {
      // What `pg_ctlcluster 15 main restart` does: a fast shutdown (sessions ended, work rolled back), then a start.
      await pgCtl('stop', ['-m', 'fast']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await pgCtl('start');
    },
    async stop() {
      await pgCtl('stop', ['-m', 'immediate']).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The scenario's fault: the server restarted (down for 2 s) once a random 20–60 % of the run is sent. */
export async function restartMidRun(server: PrivateServer, { n, progressAt, note }: FaultContext): Promise<void> {
  const moment = Math.round(n * (0.2 + Math.random() * 0.4));
  await progressAt(moment);
  const stoppedAt = Date.now();
  await server.restart(2000);
  note(`restarted after ${moment} sent, down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
}
