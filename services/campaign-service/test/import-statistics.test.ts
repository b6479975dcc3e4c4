import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@ektola/platform/postgres';
import { explainingDatabase, holdTableLock, type ExplainingDatabase } from '@ektola/platform/testing';
import { createPostgresAudienceDirectory } from '../src/adapters/postgres-audience-directory.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let explaining: ExplainingDatabase;
let sql: Sql;

beforeAll(async () => {
  harness = await startHarness({ UPLOAD_LIMIT_BYTES: String(4 * 1024 * 1024) });
  explaining = explainingDatabase(harness.database.url);
  sql = explaining.sql;
});

afterAll(async () => {
  await sql?.end();
  await harness?.close();
});

const csvOf = (from: number, count: number) =>
  [
    'phone,name,tags',
    ...Array.from({ length: count }, (_, i) => `+9198${String(from + i).padStart(8, '0')},C${i},loan`),
  ].join('\n');

const lastAnalyzed = async () => {
  const [row] = await sql<Array<{ at: Date | null }>>`
    select last_analyze as at from pg_stat_user_tables where relid = 'campaign.contacts'::regclass`;
  return row?.at ?? null;
};

/** The plan PostgreSQL takes for the directory's own audience page, read a page into the audience. */
async function audiencePagePlan(): Promise<string> {
  const audiences = createPostgresAudienceDirectory(sql);
  const audience = { tagSets: [['loan']], predicates: [], fromRuns: [] };
  const [first] = await audiences.page(audience, undefined, 1);
  return explaining.planOf(() => audiences.page(audience, first!.id, 1_000));
}

describe('an import and the audience reads after it', () => {
  it('when an import changes most of the table, then the next audience page walks the eligible index in id order; a small import later leaves the statistics as they are', async () => {
    const response = await harness.uploadCsv(csvOf(0, 5_000));
    expect(response.json()).toMatchObject({ imported: 5_000, rejectedCount: 0 });

    const analyzedAt = await lastAnalyzed();
    expect(analyzedAt).not.toBeNull();
    // Planned on statistics from before the import, the page read every remaining match through a
    // bitmap of the tags index and sorted them.
    const plan = await audiencePagePlan();
    expect(plan).toContain('Index Scan using contacts_eligible on contacts');
    expect(plan).not.toContain('Bitmap');

    expect((await harness.uploadCsv(csvOf(10_000, 20))).json()).toMatchObject({ imported: 20 });
    expect(await lastAnalyzed()).toEqual(analyzedAt);
  });

  it('when another transaction holds the table against ANALYZE, then the upload still imports and answers after the refresh gives up', async () => {
    const analyzedAt = await lastAnalyzed();
    const lock = await holdTableLock(harness.database.url, 'campaign.contacts', 'share update exclusive');
    try {
      const response = await harness.uploadCsv(csvOf(20_000, 1_000));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ imported: 1_000, rejectedCount: 0 });
    } finally {
      await lock.release();
    }
    expect(await lastAnalyzed()).toEqual(analyzedAt);
  });
});
