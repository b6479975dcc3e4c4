import type { CallbackEvent } from './callback-event.ts';
import type { AttemptResult } from './retry-policy.ts';

export interface Endpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  /** 'gone' or 'failing' when the service disabled it; null otherwise. */
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  previousSecretExpiresAt: Date | null;
}

export interface EndpointChanges {
  url?: string;
  events?: string[];
  enabled?: boolean;
  description?: string;
}

/** The endpoints a business subscribed, with their secrets (which never leave the service but in a create or rotate answer). */
export interface EndpointStore {
  create(endpoint: {
    id: string;
    url: string;
    description: string;
    events: string[];
    secret: string;
  }): Promise<Endpoint>;
  list(page: { limit: number; afterId?: string | undefined }): Promise<Endpoint[]>;
  get(id: string): Promise<Endpoint | null>;
  /** Enabling an endpoint clears the reason it was disabled and its failing streak. */
  update(id: string, changes: EndpointChanges): Promise<Endpoint | null>;
  remove(id: string): Promise<boolean>;
  /** The new secret signs from now on; the current one keeps signing beside it until `previousExpiresAt`. */
  rotateSecret(id: string, secret: string, previousExpiresAt: Date): Promise<Endpoint | null>;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Attempt {
  at: Date;
  /** null when no answer came. */
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  createdAt: Date;
  nextAttemptAt: Date | null;
  completedAt: Date | null;
  attempts: Attempt[];
}

/** A delivery a worker holds under a lease, with everything its attempt needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  /** The current secret first, then the previous one while its overlap lasts. */
  secrets: string[];
  eventId: string;
  body: string;
  attemptCount: number;
}

/**
 * The durable record of events and deliveries. `record` writes each event once and a delivery per
 * enabled endpoint subscribed to its type, in one transaction; it resolves only once committed, so
 * the source event may then be acknowledged.
 */
export interface CallbackEventLog {
  record(events: readonly CallbackEvent[]): Promise<void>;
  /** The event and one delivery of it, to one endpoint whatever it subscribes (a `ping`). */
  recordFor(endpointId: string, event: CallbackEvent): Promise<DeliveryView>;
}

export interface DeliveryQueue {
  /**
   * Takes up to `limit` due deliveries of enabled endpoints, none beyond `perEndpoint` in flight for
   * one endpoint counting `inFlight`, and leases them for `leaseMs`.
   */
  claim(options: {
    limit: number;
    perEndpoint: number;
    inFlight: ReadonlyMap<string, number>;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]>;
  /** Writes the attempt and the delivery's new state; answers since when the endpoint fails (null after a success). */
  settle(settlement: {
    deliveryId: string;
    endpointId: string;
    attempt: Attempt;
    status: DeliveryStatus;
    nextAttemptAt: Date | null;
  }): Promise<{ failingSince: Date | null }>;
  /** Disables an endpoint that is enabled; answers it when this call disabled it. */
  disable(endpointId: string, reason: 'gone' | 'failing'): Promise<{ id: string; url: string } | null>;
  /** When the earliest pending delivery is due, if any. */
  nextDueAt(): Promise<Date | null>;
}

export interface DeliveryLog {
  list(query: {
    endpointId: string;
    status?: DeliveryStatus | undefined;
    limit: number;
    afterId?: string | undefined;
  }): Promise<DeliveryView[]>;
  /** Puts a delivery back in the queue, due now; null when the endpoint has no such delivery. */
  retry(endpointId: string, deliveryId: string): Promise<DeliveryView | null>;
}

/** Sends one signed request and reports what came back, never throwing for what the receiver did. */
export interface CallbackSender {
  send(request: { url: string; headers: Record<string, string>; body: string }): Promise<AttemptResult>;
}

export interface AddressResolver {
  /** Every address the host resolves to (an IP literal resolves to itself). */
  resolve(hostname: string): Promise<string[]>;
}

/** What waits to be delivered, per endpoint: how many deliveries and how old the oldest is. */
export interface DeliveryBacklog {
  read(): Promise<Array<{ endpointId: string; pending: number; oldestSeconds: number }>>;
}
