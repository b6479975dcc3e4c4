import type { EventDefinition, PayloadOf } from '@ektola/platform/events';

/** One event to store, with the id JetStream deduplicates it by. */
export interface OutgoingEvent<E extends EventDefinition = EventDefinition> {
  event: E;
  payload: PayloadOf<E>;
  msgId: string;
}

export const outgoing = <E extends EventDefinition>(event: E, payload: PayloadOf<E>, msgId: string): OutgoingEvent =>
  ({ event, payload, msgId }) as OutgoingEvent;

/** Resolves only once every event is durably stored (or known to be stored already); rejects otherwise. */
export interface EventSink {
  publish(events: readonly OutgoingEvent[]): Promise<void>;
}
