import type { JetStreamManager } from '@nats-io/jetstream';
import { streamNameOf, subjectOf, type EventDefinition, type PayloadOf } from '@ektola/platform/events';
import { storedMessages } from '@ektola/platform/testing';

/** Every event of this kind the namespace's stream holds, oldest first: what the relay really published. */
export async function publishedEvents<E extends EventDefinition>(
  jsm: JetStreamManager,
  namespace: string,
  event: E,
): Promise<Array<PayloadOf<E>>> {
  const subject = subjectOf(namespace, event);
  const payloads: Array<PayloadOf<E>> = [];
  for await (const message of storedMessages(jsm, streamNameOf(namespace, event.stream))) {
    if (message.subject === subject) payloads.push(message.json<PayloadOf<E>>());
  }
  return payloads;
}
