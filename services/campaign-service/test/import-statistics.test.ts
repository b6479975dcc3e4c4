import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresAudienceDirectory } from '../src/adapters/postgres-audience-directory.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let sql: postgres.Sql;
/** The text and parameters of the last statement sent, to explain exactly what the directory asked. */
let last: { text: string; parameters: unknown[] } | undefined;

beforeAll(async () => {
  harness = await startHarness({ UPLOAD_LIMIT_BYTES: String(4 * 1024 * 1024) });
  sql = postgres(harness.database.url, {
    max: 1,
    onnotice: () => undefined,
    debug: (_connection, text, parameters) => {
      last = { text, parameters };
    },
  });
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
  last = undefined;
  await audiences.page(audience, first!.id, 1_000);
  const asked = last as { text: string; parameters: unknown[] } | undefined;
  if (!asked) throw new Error('the audience page sent no statement');
  const plan = await sql.unsafe(`explain ${asked.text}`, asked.parameters as never[]);
  return plan.map((line) => String(Object.values(line)[0])).join('\n');
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
});
