import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { lazyRequestLogger, pathWithoutQueryValues } from './request-logger.ts';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = createLogger({ service: 'test', level }, stream);
  return { lines, logger, children: vi.spyOn(logger, 'child') };
}

describe('lazyRequestLogger', () => {
  it('when a route at warn logs only below it, then no child logger is made and nothing is written', async () => {
    const { lines, logger, children } = capture();
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, childLoggerFactory: lazyRequestLogger });
    app.get('/quiet', { logLevel: 'warn' }, async (request) => {
      request.log.info({ phone: '+919876543210' }, 'not at this level');
      return { ok: true };
    });
    await app.ready();
    children.mockClear(); // Fastify's own start-up loggers are not the requests'
    expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(children).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    await app.close();
  });

  it('when a request writes a line its level lets through, then it carries the request id and phones stay masked', async () => {
    const { lines, logger, children } = capture();
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, childLoggerFactory: lazyRequestLogger });
    app.get('/loud', { logLevel: 'warn' }, async (request) => {
      request.log.warn({ phone: '+919876543210' }, 'first');
      request.log.error('second');
      return { ok: true };
    });
    await app.ready();
    children.mockClear();
    await app.inject({ url: '/loud' });
    expect(children).toHaveBeenCalledTimes(1);
    const written = lines.filter((line) => line.msg === 'first' || line.msg === 'second');
    expect(written).toHaveLength(2);
    expect(written[0]!.reqId).toBe(written[1]!.reqId);
    expect(written[0]!.reqId).toBeTruthy();
    expect(written[0]!.phone).not.toContain('9876543210');
    await app.close();
  });

  it('when the level is changed on the request logger, then later lines follow it', () => {
    const { lines, logger } = capture();
    const requestLogger = lazyRequestLogger(logger as FastifyBaseLogger, { reqId: 'req-1' }, { level: 'error' });
    requestLogger.info('dropped');
    requestLogger.level = 'debug';
    requestLogger.debug('kept');
    expect(lines.map((line) => line.msg)).toEqual(['kept']);
    expect(requestLogger.level).toBe('debug');
  });
});

describe('pathWithoutQueryValues', () => {
  it.each([
    ['/v1/contacts', '/v1/contacts'],
    ['/v1/contacts?search=%2B919876543210&limit=5', '/v1/contacts?search=…&limit=…'],
    ['/v1/contacts?flag&&phone=+91', '/v1/contacts?flag=…&phone=…'],
    ['/v1/contacts?', '/v1/contacts'],
    ['/v1/contacts?%2B919876543210&919876543210=1&limit=5?x=1', '/v1/contacts?…=…&…=…&limit=…'],
  ])('when the URL is %s, then the log shows %s', (url, logged) => {
    expect(pathWithoutQueryValues(url)).toBe(logged);
  });
});
