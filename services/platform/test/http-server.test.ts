import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { invalid } from '../src/errors.ts';
import { createHttpServer } from '../src/http/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { startTelemetry, trace } from '../src/telemetry.ts';

const telemetry = await startTelemetry({ serviceName: 'http-test' });
let app: FastifyInstance;
// A database that is down (restarting): postgres.js cannot connect.
const unreachable = postgres('postgres://postgres@127.0.0.1:1/none', {
  max: 1,
  connect_timeout: 2,
  onnotice: () => undefined,
});

beforeAll(async () => {
  app = await createHttpServer({ logger: createLogger({ service: 'test', level: 'silent' }), bodyLimit: 64 });
  app.get('/trace', async () => ({ traceId: trace.getActiveSpan()?.spanContext().traceId }));
  app.post('/contacts', async () => {
    throw invalid('the contact is invalid', [{ path: 'body.phone', message: 'is not a phone number' }]);
  });
  app.post('/echo', async (request) => request.body);
  app.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/database-down', async () => unreachable`select 1`);
  app.get('/database-shutting-down', async () => {
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  });
  app.get(
    '/typed',
    {
      schema: {
        querystring: { type: 'object', required: ['limit'], properties: { limit: { type: 'integer', maximum: 100 } } },
      },
    },
    async () => ({ ok: true }),
  );
  await app.ready();
});

afterAll(async () => {
  await unreachable.end();
  await app.close();
  await telemetry.shutdown();
});

describe('createHttpServer', () => {
  it('when a request carries a W3C traceparent, then the route runs inside that trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await app.inject({ url: '/trace', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(response.json()).toEqual({ traceId });
  });

  it('when a route rejects input, then the answer is a 400 in the one error shape naming the field', async () => {
    const response = await app.inject({ method: 'POST', url: '/contacts', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'invalid',
        message: 'the contact is invalid',
        details: [{ path: 'body.phone', message: 'is not a phone number' }],
      },
    });
  });

  it('when PostgreSQL cannot be reached or is shutting down, then the answer is a 503 to retry, not a 500', async () => {
    for (const url of ['/database-down', '/database-shutting-down']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(503);
      expect(response.json().error.code).toBe('unavailable');
    }
  });

  it('when schema validation fails, then the detail names the query field', async () => {
    const response = await app.inject({ url: '/typed?limit=500' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring.limit');
  });

  it('when the body is not JSON, then it is a 400, not a 500', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('when the body is over the limit, then it is a 413', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(200) } });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('when no route matches, then it is a JSON 404', async () => {
    const response = await app.inject({ url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /nowhere', details: [] },
    });
  });

  it('when a route fails on our side, then the client sees a 500 without the internal detail', async () => {
    const response = await app.inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(response.json().error.code).toBe('internal');
  });
});
