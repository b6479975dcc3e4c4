import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createOpsServer, type OpsServer } from '../src/ops/ops-server.ts';

const logger = createLogger({ service: 'ops-test', level: 'silent' });
let server: OpsServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function readyz(options: {
  starting: () => boolean;
  shuttingDown: () => boolean;
  postgres: () => Promise<void>;
}) {
  server = createOpsServer({
    logger,
    host: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    checks: { postgres: options.postgres },
    isStarting: options.starting,
    isShuttingDown: options.shuttingDown,
  });
  const port = await server.start();
  return async () => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

describe('/readyz while a service starts and stops', () => {
  it('when the service is still starting, then it answers 503 "starting" though its dependencies answer, and 200 once started', async () => {
    let starting = true;
    const probe = await readyz({ starting: () => starting, shuttingDown: () => false, postgres: async () => {} });
    expect(await probe()).toEqual({ status: 503, body: { status: 'unavailable', reason: 'starting', checks: {} } });
    starting = false;
    expect(await probe()).toEqual({ status: 200, body: { status: 'ready', checks: { postgres: 'ok' } } });
  });

  it('when started but a dependency fails, then it answers 503 naming it; when shutting down, then 503 "shutting down"', async () => {
    let stopping = false;
    const probe = await readyz({
      starting: () => false,
      shuttingDown: () => stopping,
      postgres: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    expect(await probe()).toEqual({
      status: 503,
      body: { status: 'unavailable', checks: { postgres: 'down: connect ECONNREFUSED' } },
    });
    stopping = true;
    expect((await probe()).body).toEqual({ status: 'unavailable', reason: 'shutting down', checks: {} });
  });
});
