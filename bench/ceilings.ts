import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Agent, request } from 'undici';

/**
 * What this machine allows one Node process to do with nothing else in the way, measured in the same
 * run as the system, so the system's figures can be read against them.
 */
export async function jetstreamPublishCeiling(options: { natsUrl: string; namespace: string; count?: number; window?: number }): Promise<number> {
  const count = options.count ?? 50_000;
  const window = options.window ?? 512;
  const nc = await connect({ servers: options.natsUrl });
  const jsm = await jetstreamManager(nc);
  const stream = `${options.namespace.toUpperCase()}_CEILING`;
  const subject = `${options.namespace}.ceiling`;
  await jsm.streams.add({ name: stream, subjects: [subject] });
  try {
    const js = jetstream(nc);
    const payload = new TextEncoder().encode(JSON.stringify({ messageId: crypto.randomUUID(), runId: crypto.randomUUID() }));
    let sent = 0;
    const started = performance.now();
    const worker = async () => {
      while (sent < count) {
        sent += 1;
        await js.publish(subject, payload, { msgID: `m${sent}` });
      }
    };
    await Promise.all(Array.from({ length: window }, worker));
    return count / ((performance.now() - started) / 1000);
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
}

export async function httpPostCeiling(options: {
  url: string;
  body: (index: number) => string;
  headers: Record<string, string>;
  count?: number;
  connections?: number;
}): Promise<number> {
  const count = options.count ?? 20_000;
  const connections = options.connections ?? 64;
  const dispatcher = new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000 });
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < count) {
      const index = sent;
      sent += 1;
      const response = await request(options.url, { method: 'POST', body: options.body(index), headers: options.headers, dispatcher });
      await response.body.dump();
      if (response.statusCode >= 300) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections * 2 }, worker));
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  if (failed > 0) throw new Error(`${failed} of ${count} ceiling requests failed; the ceiling would be meaningless`);
  return count / seconds;
}
