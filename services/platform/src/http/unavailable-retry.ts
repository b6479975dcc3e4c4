import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { isDependencyUnavailable, isDomainError } from '../errors.ts';

export interface UnavailableRetry {
  /** How long after the first attempt another may still start; past it the caller gets the 503. */
  deadlineMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `work` again, with growing pauses, while it fails only because a dependency is down or
 * restarting. A PostgreSQL restart takes a few seconds; riding it out here spares every client a
 * 503 it would have to retry itself. Only for work that is safe to repeat.
 */
export async function retryWhileUnavailable<T>(
  work: () => Promise<T>,
  { deadlineMs, firstDelayMs = 100, maxDelayMs = 1_000 }: UnavailableRetry,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = firstDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
    try {
      return await work();
    } catch (error) {
      // A peer service answering UNAVAILABLE (it, or its database, is restarting) counts as well.
      const unavailable = isDependencyUnavailable(error) || (isDomainError(error) && error.kind === 'unavailable');
      if (!unavailable || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}

const safeMethods = new Set(['GET', 'HEAD']);

/**
 * GET and HEAD handlers, which only read, are retried while a dependency is unavailable. Writes are
 * not: a failure after a commit would apply them twice, and their clients retry with Idempotency-Key.
 * Register before the routes it should cover.
 */
export function retryReadsWhileUnavailable(app: FastifyInstance, retry: UnavailableRetry): void {
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().every((method) => safeMethods.has(method))) return;
    const handler = route.handler;
    route.handler = function retried(request, reply) {
      return retryWhileUnavailable(async () => handler.call(this, request, reply), retry);
    };
  });
}
