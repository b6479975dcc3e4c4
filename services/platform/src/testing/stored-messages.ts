import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';

/**
 * What a stream holds after `afterSequence` (from its start by default), oldest first, read straight
 * from JetStream one sequence at a time: what was really stored, for a test or a bench to check.
 */
export async function* storedMessages(
  jsm: JetStreamManager,
  stream: string,
  afterSequence = 0,
): AsyncGenerator<StoredMsg> {
  const { state } = await jsm.streams.info(stream);
  for (let seq = Math.max(afterSequence + 1, state.first_seq); state.messages > 0 && seq <= state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message) yield message;
  }
}
