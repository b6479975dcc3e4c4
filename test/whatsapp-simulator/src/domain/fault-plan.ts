import { z } from 'zod';

const share = z.number().min(0).max(1);

export const latencySchema = z.union([
  z.object({ fixedMs: z.number().int().min(0) }).strict(),
  z
    .object({ minMs: z.number().int().min(0), maxMs: z.number().int().min(0) })
    .strict()
    .refine((value) => value.maxMs >= value.minMs, 'maxMs must be at least minMs'),
  z
    .object({ medianMs: z.number().positive(), p99Ms: z.number().positive() })
    .strict()
    .refine((value) => value.p99Ms >= value.medianMs, 'p99Ms must be at least medianMs'),
]);
export type Latency = z.output<typeof latencySchema>;

/** What an operator or a test asks for on one phone number (or on `*`, every number). */
export const faultSchema = z
  .object({
    latency: latencySchema.optional(),
    errors: z
      .object({
        rate: share,
        code: z.number().int().positive().default(131000),
        httpStatus: z.number().int().min(400).max(599).optional(),
      })
      .strict()
      .optional(),
    hang: z
      .object({ rate: share.default(1) })
      .strict()
      .optional(),
    outage: z
      .object({
        mode: z.enum(['5xx', 'refused']),
        code: z.number().int().positive().default(131016),
        httpStatus: z.number().int().min(500).max(599).optional(),
      })
      .strict()
      .optional(),
    durationMs: z.number().int().positive().optional(),
  })
  .strict();
export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema> & { expiresAtMs?: number };

export type FaultDecision =
  | { action: 'none'; delayMs: number }
  | { action: 'refuse' }
  | { action: 'hang' }
  | { action: 'error'; code: number; httpStatus?: number; delayMs: number };

const none: FaultDecision = { action: 'none', delayMs: 0 };

/** z-score of the 99th percentile of a standard normal distribution. */
const z99 = 2.3263;

export function sampleLatency(latency: Latency | undefined, random: () => number): number {
  if (!latency) return 0;
  if ('fixedMs' in latency) return latency.fixedMs;
  if ('minMs' in latency) return Math.round(latency.minMs + random() * (latency.maxMs - latency.minMs));
  // A log-normal through the given median and 99th percentile: a long tail like a real network's.
  const sigma = Math.log(latency.p99Ms / latency.medianMs) / z99;
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(latency.medianMs * Math.exp(sigma * normal));
}

/**
 * What happens to one request under a fault, in the order an outage would show itself: a number
 * that is down answers nothing else; a hanging request never answers; otherwise the request waits
 * its latency and then may fail with the chosen code.
 */
export function decideFault(fault: Fault | undefined, nowMs: number, random: () => number): FaultDecision {
  if (!fault || (fault.expiresAtMs !== undefined && nowMs >= fault.expiresAtMs)) return none;
  if (fault.outage?.mode === 'refused') return { action: 'refuse' };
  if (fault.outage) {
    return {
      action: 'error',
      code: fault.outage.code,
      ...(fault.outage.httpStatus ? { httpStatus: fault.outage.httpStatus } : {}),
      delayMs: 0,
    };
  }
  if (fault.hang && random() < fault.hang.rate) return { action: 'hang' };
  const delayMs = sampleLatency(fault.latency, random);
  if (fault.errors && random() < fault.errors.rate) {
    return {
      action: 'error',
      code: fault.errors.code,
      ...(fault.errors.httpStatus ? { httpStatus: fault.errors.httpStatus } : {}),
      delayMs,
    };
  }
  return { action: 'none', delayMs };
}

/** Faults by phone number id; `*` applies to every number that has none of its own. */
export class FaultBook {
  readonly #faults = new Map<string, Fault>();

  set(phoneNumberId: string, input: FaultInput, nowMs: number): Fault {
    const parsed = faultSchema.parse(input);
    const fault: Fault = parsed.durationMs ? { ...parsed, expiresAtMs: nowMs + parsed.durationMs } : parsed;
    this.#faults.set(phoneNumberId, fault);
    return fault;
  }

  for(phoneNumberId: string, nowMs: number): Fault | undefined {
    const fault = this.#faults.get(phoneNumberId) ?? this.#faults.get('*');
    if (fault?.expiresAtMs !== undefined && nowMs >= fault.expiresAtMs) {
      this.#faults.delete(this.#faults.has(phoneNumberId) ? phoneNumberId : '*');
      return this.for(phoneNumberId, nowMs);
    }
    return fault;
  }

  clear(phoneNumberId?: string): void {
    if (phoneNumberId === undefined) this.#faults.clear();
    else this.#faults.delete(phoneNumberId);
  }

  get empty(): boolean {
    return this.#faults.size === 0;
  }

  list(nowMs: number): Record<string, Fault & { remainingMs?: number }> {
    const result: Record<string, Fault & { remainingMs?: number }> = {};
    for (const [phoneNumberId, fault] of this.#faults) {
      if (fault.expiresAtMs !== undefined && nowMs >= fault.expiresAtMs) continue;
      result[phoneNumberId] =
        fault.expiresAtMs === undefined ? fault : { ...fault, remainingMs: fault.expiresAtMs - nowMs };
    }
    return result;
  }
}
