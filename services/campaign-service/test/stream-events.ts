import type { JetStreamManager } from '@nats-io/jetstream';
import { streamNameOf, subjectOf, type EventDefinition, type PayloadOf } from '@ektola/platform/events';

/** Every event of this kind the namespace's stream holds, oldest first: what the relay really published. */
export async function publishedEvents<E extends EventDefinition>(
  jsm: JetStreamManager,
  namespace: string,
  event: E,
): Promise<Array<PayloadOf<E>>> {
  const stream = streamNameOf(namespace, event.stream);
  const { state } = await jsm.streams.info(stream);
  const subject = subjectOf(namespace, event);
  const payloads: Array<PayloadOf<E>> = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message?.subject === subject) payloads.push(message.json<PayloadOf<E>>());
  }
  return payloads;
}
