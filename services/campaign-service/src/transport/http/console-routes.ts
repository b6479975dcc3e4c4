import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * No inline script or style, nothing from another origin: the console's own hashed files and fetches
 * to this origin's /v1 only.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API and the ops routes: an unknown one there is a 404, never the console. */
const serverPaths = /^\/(v1|docs|healthz|readyz|metrics)(\/|$|\?)/;

/** Vite names built assets by their content, so a changed file is a new URL and an old one never changes. */
const hashedAsset = /\/assets\/[^/]+-[\w-]{8,}\.\w+$/;

function secureHeaders(reply: FastifyReply) {
  reply
    .header('content-security-policy', consoleContentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/**
 * The operator console (services/console's build) at `/`: hashed assets cached for a year as immutable,
 * index.html never cached, and any other GET outside the API answered with index.html so client routes
 * (/campaigns/…) survive a reload. Nothing is served when the directory has no build.
 */
export async function consoleRoutes(app: FastifyInstance, options: { directory: string | undefined }) {
  const directory = options.directory;
  if (!directory || !existsSync(join(directory, 'index.html'))) {
    app.log.warn({ directory }, 'no console build; the console is not served (npm run console:build)');
    return;
  }
  await app.register(fastifyStatic, {
    root: directory,
    index: false,
    wildcard: false,
    cacheControl: false,
    setHeaders(reply, path) {
      secureHeaders(reply);
      reply.header('cache-control', hashedAsset.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = (reply: FastifyReply) => {
    secureHeaders(reply);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  };
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    if (serverPaths.test(request.url) || hashedAsset.test(request.url.split('?')[0]!)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
