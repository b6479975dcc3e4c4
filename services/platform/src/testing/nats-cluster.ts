import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port.ts';

export interface NatsClusterNode {
  /** The node's server name, as JetStream names stream and consumer leaders. */
  name: string;
  url: string;
  running(): boolean;
  /** Sends `signal` (SIGKILL: a crashed pod) and waits until the process exited. Its store stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again with the same configuration and store, and waits until it accepts clients. */
  start(): Promise<void>;
}

export interface NatsCluster {
  nodes: NatsClusterNode[];
  /** Every node's client URL, comma-separated: the seed list a service's NATS_URL takes. */
  seedList: string;
  /** The node whose server name is `name`. */
  node(name: string): NatsClusterNode;
  /** Waits until JetStream answers through the running nodes (a meta leader is elected). */
  jetStreamReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const binary = () => (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A JetStream cluster of `size` nats-server processes on loopback (free client and route ports, each
 * node with its own store directory, full-mesh routes, one cluster name), with the given
 * `authorization` block when there is one: what the official NATS chart runs as a StatefulSet, on one
 * machine, so streams at three replicas, leader elections and a node's crash are real. The
 * configuration is JSON, which nats-server's format accepts.
 */
export async function startNatsCluster(
  options: { size?: number; authorization?: object; probe?: { user: string; pass: string } } = {},
): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const directory = mkdtempSync(join(tmpdir(), 'ektola-nats-cluster-'));
  const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const clusterName = `ektola-${process.pid}`;
  const urls = clientPorts.map((port) => `nats://127.0.0.1:${port}`);

  const nodes = clientPorts.map((port, index): NatsClusterNode => {
    const name = `n${index + 1}`;
    const home = join(directory, name);
    mkdirSync(home);
    const config: Record<string, unknown> = {
      server_name: name,
      listen: `127.0.0.1:${port}`,
      jetstream: { store_dir: join(home, 'store') },
      cluster: {
        name: clusterName,
        listen: `127.0.0.1:${routePorts[index]}`,
        routes: routePorts.filter((_, other) => other !== index).map((route) => `nats-route://127.0.0.1:${route}`),
      },
    };
    if (options.authorization) config.authorization = options.authorization;
    const configFile = join(home, 'nats.conf');
    writeFileSync(
      configFile,
      Object.entries(config)
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
        .join('\n'),
    );
    let child: ChildProcess | undefined;
    let output = '';
    const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
    return {
      name,
      url: urls[index]!,
      running,
      async kill(signal = 'SIGKILL') {
        const current = child;
        if (!current || !running()) return;
        const exited = new Promise((resolve) => current.once('exit', resolve));
        current.kill(signal);
        await exited;
      },
      async start() {
        if (running()) throw new Error(`nats node ${name} is already running`);
        output = '';
        child = spawn(binary(), ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
        child.stderr?.on('data', (chunk: Buffer) => {
          output = (output + chunk.toString()).slice(-4000);
        });
        const deadline = Date.now() + 15_000;
        for (;;) {
          if (!running()) throw new Error(`nats node ${name} exited: ${output}`);
          try {
            const nc = await connect({ servers: urls[index]!, ...options.probe, reconnect: false });
            await nc.close();
            return;
          } catch (error) {
            if (Date.now() > deadline) throw new Error(`nats node ${name} did not answer: ${String(error)}\n${output}`);
            await sleep(100);
          }
        }
      },
    };
  });

  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill('SIGTERM')));
    rmSync(directory, { recursive: true, force: true });
  };
  const cluster: NatsCluster = {
    nodes,
    seedList: urls.join(','),
    node(name) {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no nats node named ${name}`);
      return found;
    },
    async jetStreamReady(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const servers = nodes.filter((node) => node.running()).map((node) => node.url);
      for (;;) {
        const nc = await connect({ servers, ...options.probe });
        try {
          await (await jetstreamManager(nc)).getAccountInfo();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`JetStream did not become ready: ${String(error)}`);
        } finally {
          await nc.close();
        }
        await sleep(250);
      }
    },
    stop,
  };
  try {
    await Promise.all(nodes.map((node) => node.start()));
    await cluster.jetStreamReady();
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}
