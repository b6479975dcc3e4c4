import type { JetStreamManager } from '@nats-io/jetstream';
import { consumerSpec } from '@ektola/platform/events';
import type { StatusProgressSource } from '../domain/ports.ts';

/** How far the dispatcher-status consumer has read, for reconciliation to wait on. */
export function createStatusProgress(jsm: JetStreamManager, namespace: string): StatusProgressSource {
  const spec = consumerSpec(namespace, 'dispatcher-status');
  return {
    async read() {
      const [stream, consumer] = await Promise.all([
        jsm.streams.info(spec.stream),
        jsm.consumers.info(spec.stream, spec.durable),
      ]);
      return {
        lastSeq: stream.state.last_seq,
        ackFloor: consumer.ack_floor.stream_seq,
        idle: consumer.num_pending === 0 && consumer.num_ack_pending === 0,
      };
    },
  };
}
