import type { JetStreamManager } from '@nats-io/jetstream';
import { consumerSpec } from '@ektola/platform/events';

export interface StatusProgress {
  /** The WHATSAPP stream's last sequence when asked. */
  lastSeq: number;
  /** The status consumer has acknowledged everything up to here. */
  ackFloor: number;
  /** Nothing waits for or sits in the status consumer. */
  idle: boolean;
}

/** How far the dispatcher-status consumer has read, for reconciliation to wait on. */
export function createStatusProgress(jsm: JetStreamManager, namespace: string) {
  const spec = consumerSpec(namespace, 'dispatcher-status');
  return async (): Promise<StatusProgress> => {
    const [stream, consumer] = await Promise.all([jsm.streams.info(spec.stream), jsm.consumers.info(spec.stream, spec.durable)]);
    return {
      lastSeq: stream.state.last_seq,
      ackFloor: consumer.ack_floor.stream_seq,
      idle: consumer.num_pending === 0 && consumer.num_ack_pending === 0,
    };
  };
}
