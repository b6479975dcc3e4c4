import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { conflict, invalid } from '@ektola/platform/errors';
import { decide, requestFingerprint, type StoredResponse } from '../../domain/idempotency.ts';
import type { IdempotencyKeys } from '../../domain/ports.ts';
import './request-context.ts';

const header = 'idempotency-key';

function keyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[header];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
    throw invalid('the Idempotency-Key header is invalid', [
      { path: `headers.${header}`, message: 'must be one value of 1 to 255 characters' },
    ]);
  }
  return value;
}

export const replay = (reply: FastifyReply, response: StoredResponse) =>
  reply
    .code(response.statusCode)
    .header('idempotent-replayed', 'true')
    .type('application/json; charset=utf-8')
    .send(response.body);

export const idempotencyConflict = (reason: 'different_request' | 'in_progress') =>
  reason === 'in_progress'
    ? conflict(
        'a request with this Idempotency-Key is still being processed; retry later',
        'idempotency_key_in_progress',
      )
    : conflict('this Idempotency-Key was used for a different request', 'idempotency_key_reused');

/**
 * `Idempotency-Key` on POSTs: the first request claims the key and its answer is stored; a retry with
 * the same request gets that answer replayed without running again; the key with another request is
 * a 409. Answers of 500 and above release the key so the retry really runs.
 */
export function addIdempotency(app: FastifyInstance, store: IdempotencyKeys) {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.apiKey) return;
    const key = keyOf(request);
    if (!key) return;
    const apiKeyId = request.apiKey.id;
    if (request.routeOptions.config.streamedBody) {
      const existing = await store.claim(apiKeyId, key, null);
      if (existing && !existing.response) throw idempotencyConflict('in_progress');
      request.idempotency = existing?.response
        ? { key, fingerprint: null, earlier: { fingerprint: existing.fingerprint, response: existing.response } }
        : { key, fingerprint: null };
      return;
    }
    const fingerprint = requestFingerprint(request.method, request.url.split('?')[0]!, request.body);
    const decision = decide(await store.claim(apiKeyId, key, fingerprint), fingerprint);
    if (decision.action === 'conflict') throw idempotencyConflict(decision.reason);
    if (decision.action === 'replay') return replay(reply, decision.response);
    request.idempotency = { key, fingerprint };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || claim.earlier || !request.apiKey) return payload;
    if (reply.statusCode >= 500 || claim.fingerprint === null || typeof payload !== 'string') {
      await store.release(request.apiKey.id, claim.key);
    } else {
      const storedAnswer = reply.statusCode < 300 ? request.routeOptions.config.storedAnswer : undefined;
      await store.complete(request.apiKey.id, claim.key, claim.fingerprint, {
        statusCode: reply.statusCode,
        body: storedAnswer ? storedAnswer(payload) : payload,
      });
    }
    return payload;
  });
}
