import { streamNameOf } from '@ektola/platform/events';
import { jetstreamManager } from '@ektola/platform/nats';
import { storedMessages } from '@ektola/platform/testing';
import { connect } from '@nats-io/transport-node';

/** The namespace's WHATSAPP stream's last sequence, to count what a burst stores after it. */
export async function whatsappLastSequence(natsUrl: string, namespace: string): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    return (await (await jetstreamManager(nc)).streams.info(streamNameOf(namespace, 'WHATSAPP'))).state.last_seq;
  } finally {
    await nc.close();
  }
}

/**
 * The statuses the namespace's WHATSAPP stream stored after `afterSequence`: a whatsapp.status v2 event
 * holds several (one delivery's, or the lone statuses of concurrent deliveries the webhook-service stored
 * together), a v1 event one.
 */
export async function statusesStoredAfter(natsUrl: string, namespace: string, afterSequence: number): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    let statuses = 0;
    const stream = streamNameOf(namespace, 'WHATSAPP');
    for await (const message of storedMessages(await jetstreamManager(nc), stream, afterSequence)) {
      if (message.subject.endsWith('.whatsapp.status.v1')) statuses += 1;
      else if (message.subject.endsWith('.whatsapp.status.v2'))
        statuses += message.json<{ statuses: unknown[] }>().statuses.length;
    }
    return statuses;
  } finally {
    await nc.close();
  }
}
