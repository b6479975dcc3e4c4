import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';
import { Pool } from 'undici';
import { retryDelayMs } from '../domain/backoff.ts';
import { DueQueue } from '../domain/due-queue.ts';
import { statusNotification, type BusinessNumber, type StatusEvent } from '../domain/webhook-payloads.ts';
import { signatureOf } from '../domain/webhook-signature.ts';
import type { WebhookSettings } from '../settings.ts';

type Work = { kind: 'status'; number: BusinessNumber; event: StatusEvent } | { kind: 'post'; delivery: Delivery };

interface Delivery {
  body: string;
  signature: string;
  statuses: number;
  attempt: number;
}

export interface WebhookStats {
  delivered: number;
  statusesDelivered: number;
  retried: number;
  failed: number;
  dropped: number;
  scheduled: number;
  inFlight: number;
}

/**
 * Posts notifications to the callback as Meta does: signed over the exact bytes sent, retried with
 * growing delays until the callback answers 200 or the attempts run out. Everything waiting (status
 * notifications not yet due, retries) sits in one due-time heap behind one timer, and each callback
 * origin gets one keep-alive connection pool, so thousands of messages a second cost neither a timer
 * nor a connection each.
 */
export class WebhookSender {
  readonly #queue = new DueQueue<Work>();
  readonly #pools = new Map<string, Pool>();
  readonly #settings: () => WebhookSettings;
  readonly #appSecret: string;
  readonly #connections: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #timerAtMs = Number.POSITIVE_INFINITY;
  #closed = false;
  #generation = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #stats = { delivered: 0, statusesDelivered: 0, retried: 0, failed: 0, dropped: 0 };

  constructor(options: {
    settings: () => WebhookSettings;
    appSecret: string;
    connections: number;
    clock: Clock;
    random: () => number;
    logger: Logger;
  }) {
    this.#settings = options.settings;
    this.#appSecret = options.appSecret;
    this.#connections = options.connections;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#logger = options.logger;
  }

  get enabled(): boolean {
    return this.#settings().url !== null;
  }

  /**
   * A status to post at `atMs`. With a batch window, due times are rounded up to the window's next
   * boundary, so every status falling inside one window leaves together and can share a POST.
   */
  scheduleStatus(number: BusinessNumber, event: StatusEvent, atMs: number): void {
    const window = this.#settings().batchWindowMs;
    const dueMs = window > 0 ? Math.ceil(atMs / window) * window : atMs;
    this.#push(dueMs, { kind: 'status', number, event });
  }

  /** A notification to post now (inbound messages, preferences, template updates); returns the exact bytes. */
  sendNow(payload: unknown): string {
    const body = JSON.stringify(payload);
    this.#push(this.#clock.now().getTime(), {
      kind: 'post',
      delivery: { body, signature: signatureOf(body, this.#appSecret), statuses: 0, attempt: 1 },
    });
    return body;
  }

  stats(): WebhookStats {
    return { ...this.#stats, scheduled: this.#queue.size, inFlight: this.#inFlight.size };
  }

  /** Forgets everything waiting and every count; posts already under way finish but are not counted. */
  reset(): void {
    this.#queue.clear();
    this.#generation += 1;
    this.#stats = { delivered: 0, statusesDelivered: 0, retried: 0, failed: 0, dropped: 0 };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queue.clear();
    await Promise.allSettled(this.#inFlight);
    await Promise.allSettled([...this.#pools.values()].map((pool) => pool.destroy()));
    this.#pools.clear();
  }

  #push(atMs: number, work: Work) {
    if (this.#closed) return;
    this.#queue.push(atMs, work);
    this.#arm();
  }

  #arm() {
    const next = this.#queue.nextDueMs();
    if (next === undefined || next >= this.#timerAtMs) return;
    clearTimeout(this.#timer);
    this.#timerAtMs = next;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, next - this.#clock.now().getTime()));
  }

  #fire() {
    this.#timer = undefined;
    this.#timerAtMs = Number.POSITIVE_INFINITY;
    const due = this.#queue.popDue(this.#clock.now().getTime());
    const settings = this.#settings();
    const statusesByNumber = new Map<string, { number: BusinessNumber; events: StatusEvent[] }>();
    for (const work of due) {
      if (work.kind === 'post') {
        this.#post(work.delivery, settings);
        continue;
      }
      const group = statusesByNumber.get(work.number.phoneNumberId) ?? { number: work.number, events: [] };
      group.events.push(work.event);
      statusesByNumber.set(work.number.phoneNumberId, group);
    }
    for (const { number, events } of statusesByNumber.values()) {
      for (let start = 0; start < events.length; start += settings.batchSize) {
        const body = JSON.stringify(statusNotification(number, events.slice(start, start + settings.batchSize)));
        this.#post(
          {
            body,
            signature: signatureOf(body, this.#appSecret),
            statuses: Math.min(settings.batchSize, events.length - start),
            attempt: 1,
          },
          settings,
        );
      }
    }
    this.#arm();
  }

  #pool(url: URL): Pool {
    let pool = this.#pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, { connections: this.#connections, pipelining: 1, keepAliveTimeout: 30_000 });
      this.#pools.set(url.origin, pool);
    }
    return pool;
  }

  #post(delivery: Delivery, settings: WebhookSettings) {
    if (settings.url === null) {
      this.#stats.dropped += 1;
      return;
    }
    const url = new URL(settings.url);
    const generation = this.#generation;
    const attempt = this.#pool(url)
      .request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': delivery.signature,
          'user-agent': 'facebookexternalua',
        },
        body: delivery.body,
        headersTimeout: settings.timeoutMs,
        bodyTimeout: settings.timeoutMs,
      })
      .then(async (response) => {
        await response.body.dump();
        return response.statusCode === 200 ? undefined : `status ${response.statusCode}`;
      })
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
      .then((failure) => {
        if (generation !== this.#generation) return;
        if (failure === undefined) {
          this.#stats.delivered += 1;
          this.#stats.statusesDelivered += delivery.statuses;
        } else {
          this.#retryOrGiveUp(delivery, failure, settings);
        }
      });
    this.#inFlight.add(attempt);
    void attempt.finally(() => this.#inFlight.delete(attempt));
  }

  #retryOrGiveUp(delivery: Delivery, failure: string, settings: WebhookSettings) {
    if (this.#closed) return;
    if (delivery.attempt >= settings.maxAttempts) {
      this.#stats.failed += 1;
      this.#logger.warn({ attempts: delivery.attempt, failure }, 'webhook given up after its last attempt');
      return;
    }
    this.#stats.retried += 1;
    const delayMs = retryDelayMs(delivery.attempt, settings.retryInitialMs, settings.retryMaxMs, this.#random);
    this.#logger.debug({ attempt: delivery.attempt, failure, delayMs }, 'webhook not accepted; retrying');
    this.#push(this.#clock.now().getTime() + delayMs, {
      kind: 'post',
      delivery: { ...delivery, attempt: delivery.attempt + 1 },
    });
  }
}
