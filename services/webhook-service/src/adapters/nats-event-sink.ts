import { isDomainError, unavailable } from '@ektola/platform/errors';
import { whatsappStatus } from '@ektola/platform/events';
import type { EventPublisher } from '@ektola/platform/nats';
import { withTimeout } from '@ektola/platform/ops';
import { context, type Context } from '@ektola/platform/telemetry';
import type { EventSink, OutgoingEvent } from '../domain/event-sink.ts';
import { batchStatuses } from '../domain/status-batches.ts';

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
  /**
   * How many lone statuses of concurrent requests may travel as one whatsapp.status v2 event; 1 publishes
   * each on its own.
   */
  statusesPerEvent: number;
}

/** One publish in flight: one request's event, or the lone statuses of several requests as one event. */
interface Publish {
  members: Queued[];
}

/**
 * Micro-batches publishes across concurrent requests. Every request still waits for the JetStream
 * acknowledgement of each of its own events; what the requests share is the flush, the bound on
 * publishes in flight, and a single publish when several requests carry the same event at once
 * (Meta redelivering while the first delivery is still being stored).
 *
 * Meta mostly delivers one status per request, and a status stored, delivered and acknowledged on its
 * own costs nats-server and both services more than the rest of its path. So the lone statuses of one
 * flush travel together, up to `statusesPerEvent`, as one whatsapp.status v2 event, exactly as the
 * statuses of one delivery do (batchStatuses): each of those requests answers once that event is
 * stored. A status Meta redelivers later may be grouped with others and stored again; where statuses
 * are applied that changes nothing (the projection is idempotent and never moves backwards). The
 * grouped event carries the trace of its first request.
 */
export function createNatsEventSink(options: NatsEventSinkOptions): EventSink {
  const waiting = new Map<string, Promise<void>>();
  const queue: Queued[] = [];
  const maxQueued = options.maxInFlight * 4;
  let inFlight = 0;
  /** Cancels the flush already planned, when there is one. */
  let cancelPlannedFlush: (() => void) | undefined;

  /**
   * Takes what fits in `room` publishes from the head of the queue, at most `maxBatch` events: each event
   * is a publish, but lone statuses join the flush's open group of statuses until it is full.
   */
  const take = (room: number): Publish[] => {
    const publishes: Publish[] = [];
    let statuses: Publish | undefined;
    let taken = 0;
    for (; taken < queue.length && taken < options.maxBatch; taken += 1) {
      const queued = queue[taken]!;
      const loneStatus = queued.item.event === whatsappStatus;
      if (loneStatus && statuses && statuses.members.length < options.statusesPerEvent) {
        statuses.members.push(queued);
        continue;
      }
      if (publishes.length >= room) break;
      const publish = { members: [queued] };
      publishes.push(publish);
      if (loneStatus) statuses = publish;
    }
    queue.splice(0, taken);
    return publishes;
  };

  const eventOf = (publish: Publish): OutgoingEvent =>
    publish.members.length === 1 ? publish.members[0]!.item : batchStatuses(publish.members.map((m) => m.item))[0]!;

  const drain = () => {
    cancelPlannedFlush = undefined;
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const publishes = take(options.maxInFlight - inFlight);
      inFlight += publishes.length;
      for (const publish of publishes) {
        const event = eventOf(publish);
        context
          .with(publish.members[0]!.trace, () =>
            options.publisher.publish(event.event, event.payload, { msgId: event.msgId }),
          )
          .then(
            () => {
              for (const member of publish.members) member.resolve();
            },
            (error: unknown) => {
              for (const member of publish.members) member.reject(error);
            },
          )
          .finally(() => {
            inFlight -= 1;
            for (const member of publish.members) waiting.delete(member.key);
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
