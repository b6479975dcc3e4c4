import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, retryReadsWhileUnavailable } from '../src/http/http-server.ts';
import { DomainError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const starting = () => Object.assign(new Error('the database system is starting up'), { code: '57P03' });

/** A route handler that fails the way a restarting PostgreSQL does for its first `failures` calls. */
function flaky(failures: Array<() => Error>) {
  const handler = async () => {
    handler.calls += 1;
    const failure = failures[handler.calls - 1];
    if (failure) throw failure();
    return { calls: handler.calls };
  };
  handler.calls = 0;
  return handler;
}

let app: FastifyInstance;
afterEach(() => app.close());

async function serverWith(deadlineMs: number, routes: (app: FastifyInstance) => void) {
  app = await createHttpServer({ logger: createLogger({ service: 'test', level: 'silent' }) });
  retryReadsWhileUnavailable(app, { deadlineMs, firstDelayMs: 10, maxDelayMs: 20 });
  routes(app);
  await app.ready();
}

describe('retryReadsWhileUnavailable', () => {
  it('when a read fails while the database restarts, then it is tried again and answers 200', async () => {
    const read = flaky([refused, starting, refused]);
    await serverWith(5_000, (app) => app.get('/runs/1', read));
    const response = await app.inject({ url: '/runs/1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ calls: 4 });
  });

  it('when a read fails because a peer service answered unavailable, then it is tried again and answers 200', async () => {
    const read = flaky([() => new DomainError('unavailable', 'the dispatcher is restarting')]);
    await serverWith(5_000, (app) => app.get('/runs/1', read));
    const response = await app.inject({ url: '/runs/1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ calls: 2 });
  });

  it('when the database stays down past the deadline, then the answer is the 503', async () => {
    const read = flaky(Array.from({ length: 1_000 }, () => refused));
    await serverWith(100, (app) => app.get('/runs/1', read));
    const response = await app.inject({ url: '/runs/1' });
    expect(response.statusCode).toBe(503);
    expect(read.calls).toBeGreaterThan(1);
    expect(read.calls).toBeLessThan(20);
  });

  it('when a write fails on an unavailable database, then it runs once and the client gets the 503', async () => {
    const write = flaky([refused]);
    await serverWith(5_000, (app) => app.post('/runs', write));
    const response = await app.inject({ method: 'POST', url: '/runs' });
    expect(response.statusCode).toBe(503);
    expect(write.calls).toBe(1);
  });

  it('when a read fails for another reason, then it is not repeated', async () => {
    const read = flaky([() => new Error('a bug')]);
    await serverWith(5_000, (app) => app.get('/runs/1', read));
    expect((await app.inject({ url: '/runs/1' })).statusCode).toBe(500);
    expect(read.calls).toBe(1);
  });
});
