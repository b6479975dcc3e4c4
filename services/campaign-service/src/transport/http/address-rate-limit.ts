import type { FastifyInstance } from 'fastify';
import { DomainError } from '@ektola/platform/errors';

/**
 * Requests per client address and minute, counted before authentication. `request.ip` is the peer's
 * address unless the peer is a trusted proxy, so X-Forwarded-For from anyone else changes nothing.
 * Needs @fastify/rate-limit registered on the instance (its in-memory store, per replica).
 */
export function addAddressRateLimit(app: FastifyInstance, perMinute: number): void {
  const limit = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `address:${request.ip}`,
  });
  app.addHook('onRequest', async (request, reply) => {
    const state = await limit(request);
    if (state.isAllowed || !state.isExceeded) return;
    reply.header('retry-after', String(state.ttlInSeconds));
    throw new DomainError('rate_limited', `too many requests from this address; retry in ${state.ttlInSeconds} s`, {
      code: 'rate_limited',
    });
  });
}
