import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export const testNatsUrl = () => process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A namespace of subjects and streams of its own, so parallel test files never share JetStream state. */
export const uniqueNamespace = (prefix = 't') => `${prefix}${randomBytes(5).toString('hex')}`;

/** Deletes every stream of a test namespace (and with them their consumers). */
export async function deleteNamespaceStreams(namespace: string, url = testNatsUrl()): Promise<void> {
  const nc = await connect({ servers: url.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(prefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
