import { FastifyOtelInstrumentation } from '@fastify/otel';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../logger.ts';
import { errorReplyFor } from './error-reply.ts';
import { lazyRequestLogger } from './request-logger.ts';

export { errorReplyFor, PayloadTooLargeError, type ErrorBody, type ErrorReply } from './error-reply.ts';
export { rejectNulCharacters } from './nul-characters.ts';
export { lazyRequestLogger } from './request-logger.ts';
export { retryReadsWhileUnavailable, retryWhileUnavailable, type UnavailableRetry } from './unavailable-retry.ts';

const otel = new FastifyOtelInstrumentation({
  registerOnInitialization: false,
  ignorePaths: (options: { url: string }) => ['/healthz', '/readyz', '/metrics'].includes(options.url),
});

/**
 * A Fastify instance set up the way every EkTola HTTP server is: traced with @fastify/otel (continuing
 * the caller's W3C trace context), one error shape, JSON 404s, bounded bodies and timeouts.
 */
export async function createHttpServer(options: {
  logger: Logger;
  bodyLimit?: number;
  /**
   * Addresses or CIDR ranges of the proxies (ingress, load balancer) whose X-Forwarded-For names the
   * client. None by default: a client could otherwise pick its own address for rate limits and logs.
   */
  trustProxy?: readonly string[];
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestTimeout: 60_000,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? [...options.trustProxy] : false,
    // A URL the router refuses (undecodable, an over-long path segment) answers in the one error shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = errorReplyFor(error);
      return reply.code(status).send(body);
    },
  });
  await app.register(otel.plugin());

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReplyFor(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request rejected');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'not_found',
        message: `no route for ${request.method} ${request.url.split('?')[0]}`,
        details: [],
      },
    }),
  );
  return app;
}
