import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** A stream as the project declares it; `provisionTopology` makes the server match. */
export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
  retention: 'limits' | 'workqueue' | 'interest';
  storage: 'file' | 'memory';
  replicas: number;
  duplicateWindowMs: number;
  maxAgeMs: number;
  /** Bytes on disk; -1 for unlimited. What happens when full is `discard`. */
  maxBytes: number;
  /** `old` drops the oldest messages to make room; `new` refuses the publish. */
  discard: 'old' | 'new';
}

export interface ConsumerSpec {
  stream: string;
  durable: string;
  description: string;
  /** One subject (wildcards allowed): NATS 2.9, which Debian ships, takes no list of filters. */
  filterSubject: string;
  ackWaitMs: number;
  /**
   * The server's limit, which the consume loop reads: it terminates an event at one delivery below it.
   * -1 for unlimited: such consumers decide themselves when a message is hopeless (term).
   */
  maxDeliver: number;
  maxAckPending: number;
}

export interface Topology {
  streams: StreamSpec[];
  consumers: ConsumerSpec[];
}

export interface ProvisionReport {
  created: string[];
  updated: string[];
  unchanged: string[];
}

const retention = {
  limits: RetentionPolicy.Limits,
  workqueue: RetentionPolicy.Workqueue,
  interest: RetentionPolicy.Interest,
};
const storage = { file: StorageType.File, memory: StorageType.Memory };

function streamConfig(spec: StreamSpec): Partial<StreamConfig> & { name: string } {
  return {
    name: spec.name,
    subjects: spec.subjects,
    description: spec.description,
    retention: retention[spec.retention],
    storage: storage[spec.storage],
    num_replicas: spec.replicas,
    duplicate_window: nanos(spec.duplicateWindowMs),
    max_age: nanos(spec.maxAgeMs),
    max_bytes: spec.maxBytes,
    discard: spec.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
  };
}

function consumerConfig(spec: ConsumerSpec): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: spec.durable,
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
  };
}

/** Fields that differ between what is declared and what the server has; empty when they match. */
function drift(desired: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return Object.entries(desired)
    .filter(([key, value]) => JSON.stringify(normalise(value)) !== JSON.stringify(normalise(actual[key])))
    .map(([key]) => key);
}

const normalise = (value: unknown) => (Array.isArray(value) ? [...value].sort() : (value ?? null));

const isNotFound = (error: unknown) => error instanceof Error && /not found/i.test(error.message);

/** What provisioning does with one stream or consumer. */
interface Declared {
  label: string;
  desired: Record<string, unknown>;
  info(): Promise<{ config: unknown }>;
  add(): Promise<unknown>;
  update(): Promise<unknown>;
}

/**
 * Adds one stream or consumer when it is missing, updates it when it drifted, and leaves it alone
 * otherwise. The services of a stack start together and provision the same topology: between this
 * one's lookup and its add another may have added it, and the server then refuses the add (for a
 * stream, "subjects overlap with an existing stream"). So a refused add looks again, and what is there
 * now is compared like anything found the first time.
 */
async function provisionOne(declared: Declared, report: ProvisionReport): Promise<void> {
  const lookup = () =>
    declared.info().catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
  let existing = await lookup();
  if (!existing) {
    try {
      await declared.add();
      report.created.push(declared.label);
      return;
    } catch (error) {
      existing = await lookup();
      if (!existing) throw error;
    }
  }
  if (drift(declared.desired, existing.config as Record<string, unknown>).length > 0) {
    await declared.update();
    report.updated.push(declared.label);
  } else {
    report.unchanged.push(declared.label);
  }
}

/**
 * Creates what is missing and updates what drifted, leaving matching streams and consumers alone,
 * so every service can run it at start-up, in any order, as often as it likes, and several at once.
 */
export async function provisionTopology(jsm: JetStreamManager, topology: Topology): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], updated: [], unchanged: [] };
  for (const spec of topology.streams) {
    const desired = streamConfig(spec);
    await provisionOne(
      {
        label: `stream ${spec.name}`,
        desired,
        info: () => jsm.streams.info(spec.name),
        add: () => jsm.streams.add(desired),
        update: () => jsm.streams.update(spec.name, desired),
      },
      report,
    );
  }
  for (const spec of topology.consumers) {
    const desired = consumerConfig(spec);
    const { durable_name: _durable, ...update } = desired;
    await provisionOne(
      {
        label: `consumer ${spec.stream}/${spec.durable}`,
        desired,
        info: () => jsm.consumers.info(spec.stream, spec.durable),
        add: () => jsm.consumers.add(spec.stream, desired),
        update: () => jsm.consumers.update(spec.stream, spec.durable, update),
      },
      report,
    );
  }
  return report;
}
