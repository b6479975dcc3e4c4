import { describe, it } from 'vitest';
import { startPrivatePostgres, restartMidRun, type PrivateServer } from './private-infra.ts';
import { runScenario, useFaultSystem } from './support.ts';

/*
 * PostgreSQL restarted as `pg_ctlcluster 15 main restart` does it (a fast shutdown that ends every
 * session, then a start) while the run sends. The cluster is the suite's own, initialised with the
 * same PostgreSQL 15 binaries, so the other tests on the machine keep their database.
 */

let postgres: PrivateServer;
const system = useFaultSystem('faultpg', async () => {
  postgres = await startPrivatePostgres();
  return { options: { databaseServerUrl: postgres.url }, stop: () => postgres.stop() };
});

describe('fault: PostgreSQL restarted', () => {
  it('when PostgreSQL restarts mid-run, then every message is READ, none sent twice, within the limit', async () => {
    await runScenario(system(), {
      order: 3,
      name: 'PostgreSQL restarted',
      fault: (context) => restartMidRun(postgres, context),
    });
  });
});
