import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { failureCount, postMany } from './http-load.ts';

/**
 * What this machine allows one Node process to do with nothing else in the way, measured in the same
 * run as the system, so the system's figures can be read against them.
 */
export async function jetstreamPublishCeiling(options: {
  natsUrl: string;
  namespace: string;
  count?: number;
  window?: number;
}): Promise<number> {
  const count = options.count ?? 50_000;
  const window = options.window ?? 512;
  const nc = await connect({ servers: options.natsUrl });
  const jsm = await jetstreamManager(nc);
  const stream = `${options.namespace.toUpperCase()}_CEILING`;
  const subject = `${options.namespace}.ceiling`;
  await jsm.streams.add({ name: stream, subjects: [subject] });
  try {
    const js = jetstream(nc);
    const payload = new TextEncoder().encode(
      JSON.stringify({ messageId: crypto.randomUUID(), runId: crypto.randomUUID() }),
    );
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

/** POSTs per second one process gets from `url` (every answer must be 200), e.g. template sends to the simulator. */
export async function httpPostCeiling(options: {
  url: string;
  body: (index: number) => string;
  headers: Record<string, string>;
  count?: number;
  connections?: number;
}): Promise<number> {
  const count = options.count ?? 20_000;
  const connections = options.connections ?? 64;
  const result = await postMany({
    url: options.url,
    count,
    connections,
    concurrency: connections * 2,
    request: (index) => ({ body: options.body(index), headers: options.headers }),
  });
  const failed = failureCount(result);
  if (failed > 0)
    throw new Error(
      `${failed} of ${count} ceiling requests failed (${JSON.stringify(result.failures)}); the ceiling would be meaningless`,
    );
  return count / result.seconds;
}
