import { isDomainError, unavailable } from '@ektola/platform/errors';
import type { EventPublisher } from '@ektola/platform/nats';
import { withTimeout } from '@ektola/platform/ops';
import { context, type Context } from '@ektola/platform/telemetry';
import type { EventSink, OutgoingEvent } from '../domain/event-sink.ts';

interface Queued {
  item: OutgoingEvent;
  key: string;
  /** The trace of the request that brought the event, so its headers carry that trace, not the flush's. */
  trace: Context;
  resolve(): void;
  reject(error: unknown): void;
}

export interface NatsEventSinkOptions {
  publisher: EventPublisher;
  isConnected: () => boolean;
  /** A request's whole wait (queue and acknowledgement); past it the request fails so Meta retries. */
  deadlineMs: number;
  /** 0: publish what arrived in the same event-loop turn together; above 0: wait that long to gather more. */
  windowMs: number;
  maxBatch: number;
  maxInFlight: number;
}

/**
 * Micro-batches publishes across concurrent requests. Every request still waits for the JetStream
 * acknowledgement of each of its own events; what the requests share is the flush, the bound on
 * publishes in flight, and a single publish when several requests carry the same event at once
 * (Meta redelivering while the first delivery is still being stored).
 */
export function createNatsEventSink(options: NatsEventSinkOptions): EventSink {
  const waiting = new Map<string, Promise<void>>();
  const queue: Queued[] = [];
  const maxQueued = options.maxInFlight * 4;
  let inFlight = 0;
  /** Cancels the flush already planned, when there is one. */
  let cancelPlannedFlush: (() => void) | undefined;

  const drain = () => {
    cancelPlannedFlush = undefined;
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const batch = queue.splice(0, Math.min(options.maxBatch, options.maxInFlight - inFlight));
      inFlight += batch.length;
      for (const queued of batch) {
        context
          .with(queued.trace, () =>
            options.publisher.publish(queued.item.event, queued.item.payload, { msgId: queued.item.msgId }),
          )
          .then(
            () => queued.resolve(),
            (error: unknown) => queued.reject(error),
          )
          .finally(() => {
            inFlight -= 1;
            waiting.delete(queued.key);
            if (queue.length > 0) schedule();
          });
      }
    }
  };

  const schedule = () => {
    if (queue.length >= options.maxBatch) {
      cancelPlannedFlush?.();
      drain();
    } else if (!cancelPlannedFlush) {
      if (options.windowMs > 0) {
        const timer = setTimeout(drain, options.windowMs);
        cancelPlannedFlush = () => clearTimeout(timer);
      } else {
        const immediate = setImmediate(drain);
        cancelPlannedFlush = () => clearImmediate(immediate);
      }
    }
  };

  const enqueue = (item: OutgoingEvent): Promise<void> => {
    const key = `${item.event.name}.v${item.event.version}|${item.msgId}`;
    const existing = waiting.get(key);
    if (existing) return existing;
    const trace = context.active();
    const settled = new Promise<void>((resolve, reject) => queue.push({ item, key, trace, resolve, reject }));
    waiting.set(key, settled);
    return settled;
  };

  return {
    async publish(events) {
      if (events.length === 0) return;
      if (!options.isConnected()) throw unavailable('NATS is not connected');
      if (queue.length + events.length > maxQueued) throw unavailable('too many events are waiting for JetStream');
      const settled = events.map(enqueue);
      schedule();
      try {
        await withTimeout(
          Promise.all(settled),
          options.deadlineMs,
          `JetStream did not acknowledge within ${options.deadlineMs} ms`,
        );
      } catch (error) {
        // Whatever went wrong (even an event our own schema refused), Meta keeps the notification and retries.
        throw isDomainError(error) && error.kind === 'unavailable'
          ? error
          : unavailable('JetStream did not store the events', error);
      }
    },
  };
}
