import type { FastifyPluginAsync, FastifyRequest, LogLevel } from 'fastify';
import { DomainError, invalid, isDomainError } from '@ektola/platform/errors';
import type { EventSink } from '../domain/event-sink.ts';
import { answerHandshake } from '../domain/handshake.ts';
import type { Translation } from '../domain/notification-events.ts';
import { hasValidSignature } from '../domain/signature.ts';
import { batchStatuses } from '../domain/status-batches.ts';
import { resultOfStatus, type WebhookMetrics } from './webhook-metrics.ts';

export interface WebhookRoutesOptions {
  appSecret: string;
  verifyToken: string;
  bodyLimit: number;
  translate(body: unknown): Translation;
  sink: EventSink;
  metrics: WebhookMetrics;
  /** At least `warn`: one log line per delivery would cost more than the delivery itself. */
  logLevel: LogLevel;
}

const path = '/webhooks/whatsapp';

const headerOf = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const queryOf = (request: FastifyRequest, name: string) => {
  const value = (request.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Meta's callback. Bodies arrive as raw bytes whatever their content type, because the signature
 * covers the bytes and must be checked before anything reads them. Per-request logs are off at this
 * volume; outcomes go to metrics, and rejections are logged as warnings.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST') options.metrics.request(resultOfStatus(reply.statusCode), reply.elapsedTime / 1000);
  });

  app.get(path, { logLevel: options.logLevel }, async (request, reply) => {
    const outcome = answerHandshake(
      {
        mode: queryOf(request, 'hub.mode'),
        verifyToken: queryOf(request, 'hub.verify_token'),
        challenge: queryOf(request, 'hub.challenge'),
      },
      options.verifyToken,
    );
    if (!outcome.accepted) {
      request.log.warn('webhook verification handshake refused');
      throw new DomainError('forbidden', 'hub.mode must be subscribe and hub.verify_token must match', {
        code: 'forbidden',
      });
    }
    return reply.code(200).type('text/plain; charset=utf-8').send(outcome.challenge);
  });

  app.post(path, { logLevel: options.logLevel }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = headerOf(request, 'x-hub-signature-256');
    if (!hasValidSignature(raw, signature, options.appSecret)) {
      request.log.warn({ signaturePresent: signature !== undefined, bytes: raw.length }, 'webhook signature rejected');
      throw new DomainError('unauthenticated', 'the X-Hub-Signature-256 header is missing or does not match the body', {
        code: 'bad_signature',
        details: [
          {
            path: 'headers.x-hub-signature-256',
            message: signature === undefined ? 'is required' : 'does not match the body',
          },
        ],
      });
    }

    let translation: Translation;
    try {
      translation = options.translate(parseJson(raw));
    } catch (error) {
      if (isDomainError(error))
        request.log.warn({ code: error.code, details: error.details }, 'signed webhook payload rejected');
      throw error;
    }

    await options.sink.publish(batchStatuses(translation.events));
    options.metrics.items(translation.items);
    // Counted and logged once the rest is stored: a delivery that ends in 503 comes back and is read again.
    options.metrics.rejected(translation.rejected);
    for (const item of translation.rejected) {
      request.log.warn(
        { reason: item.reason, path: item.path, problems: item.problems },
        'left a malformed notification item out',
      );
    }
    if (translation.unknownFields.length > 0) {
      request.log.warn({ fields: translation.unknownFields }, 'acknowledged notification fields EkTola does not read');
    }
    return reply.code(200).send({ published: translation.events.length });
  });
};

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw invalid(
      'the request body is not valid JSON',
      [{ path: 'body', message: (error as Error).message }],
      'invalid_json',
    );
  }
}
