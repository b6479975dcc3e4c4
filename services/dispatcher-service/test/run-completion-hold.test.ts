import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { createPostgresRunStore } from '../src/adapters/postgres-run-store.ts';
import { storeRun } from './stored-run.ts';
import { useDispatchDatabase } from './dispatch-database.ts';

const database = useDispatchDatabase('completion_hold');
let sql: Sql;
beforeAll(() => {
  sql = database();
});

/** The default schedule: two more attempts after a first 131049. */
const store = () => createPostgresRunStore(sql, { marketingLimitRetries: 2 });

/** A fanned-out run of one message Meta refused with 131049, `retries` marketing-limit retries spent, written `ago` ms back. */
async function runRefusedForMarketing(retries: number, ago = 0) {
  const at = new Date(Date.now() - ago);
  const { runId } = await storeRun(sql, [
    { status: 'FAILED', error_code: 131049, marketing_limit_retries: retries, failed_at: at, updated_at: at },
  ]);
  return runId;
}

const completedAt = async (runId: string) =>
  (await sql<Array<{ completed_at: Date | null }>>`select completed_at from dispatch.runs where id = ${runId}`)[0]
    ?.completed_at ?? null;

describe('a run with a message about to be tried again for the marketing limit', () => {
  it('when its only message was just written FAILED with 131049 and has retries left, then the run stays open, for one run and for all', async () => {
    const runId = await runRefusedForMarketing(0);
    expect(await store().completeFinished([runId])).toEqual([]);
    expect((await store().completeFinished()).map((run) => run.id)).not.toContain(runId);
    expect(await completedAt(runId)).toBeNull();
  });

  it('when the schedule is spent, then the 131049 is final and the run completes', async () => {
    const runId = await runRefusedForMarketing(2);
    expect((await store().completeFinished([runId])).map((run) => run.id)).toEqual([runId]);
  });

  it('when the move back to PENDING never followed (a crash), then the run completes once the grace has passed', async () => {
    const runId = await runRefusedForMarketing(0, 61_000);
    expect((await store().completeFinished([runId])).map((run) => run.id)).toEqual([runId]);
  });
});
