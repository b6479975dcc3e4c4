import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port.ts';

export interface NatsServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A nats-server of its own (JetStream in a temporary store, loopback on a free port), with the given
 * `authorization` block when there is one, so per-service users can be shown without touching the
 * shared server. The configuration is JSON, which nats-server's format accepts.
 */
export async function startNatsServer(
  options: { authorization?: object; probe?: { user: string; pass: string } } = {},
): Promise<NatsServer> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'ektola-nats-'));
  const configFile = join(directory, 'nats.conf');
  const config: Record<string, unknown> = {
    listen: `127.0.0.1:${port}`,
    jetstream: { store_dir: join(directory, 'store') },
  };
  if (options.authorization) config.authorization = options.authorization;
  writeFileSync(
    configFile,
    Object.entries(config)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join('\n'),
  );
  // Debian's package installs it outside a user's PATH; elsewhere it is on the PATH (deploy/local/ensure-infra.sh).
  const binary = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
  const server = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  server.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const url = `nats://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(directory, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`nats-server exited: ${output}`);
    try {
      const nc = await connect({ servers: url, ...options.probe, reconnect: false });
      await nc.close();
      return { url, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`nats-server did not answer on ${url}: ${String(error)}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
