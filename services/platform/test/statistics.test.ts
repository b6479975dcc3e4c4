import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createDatabase, refreshStatistics, type Sql } from '../src/postgres/mod.ts';
import { createTestDatabase, holdTableLock, type TestDatabase } from '../src/testing/mod.ts';

let database: TestDatabase;
let sql: Sql;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = createDatabase({
    url: database.url,
    logger: createLogger({ service: 'test', level: 'silent' }),
    applicationName: 'statistics-test',
    max: 1,
  });
  await sql`create schema bulk`;
  await sql`create table bulk.rows (id int primary key, kind text not null)`;
  await sql`insert into bulk.rows select n, 'k' || (n % 3) from generate_series(1, 1000) n`;
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await database?.drop();
});

const analysedRows = async () => {
  const [row] = await sql<
    Array<{ reltuples: number }>
  >`select reltuples from pg_class where oid = 'bulk.rows'::regclass`;
  return row!.reltuples;
};
const columnsWithStatistics = async () =>
  (
    await sql<Array<{ attname: string }>>`
      select attname from pg_stats where schemaname = 'bulk' and tablename = 'rows' order by attname`
  ).map((row) => row.attname);

describe('refreshStatistics', () => {
  it('when the changed rows pass autovacuum’s rule (more than 50 and a tenth of what was analysed), then the named columns are analysed; at the threshold, nothing is', async () => {
    expect(await refreshStatistics(sql, { table: 'bulk.rows', changed: 50 })).toBe(false);
    expect(await columnsWithStatistics()).toEqual([]);

    expect(await refreshStatistics(sql, { table: 'bulk.rows', changed: 51, columns: ['kind'] })).toBe(true);
    expect(await analysedRows()).toBe(1000);
    expect(await columnsWithStatistics()).toEqual(['kind']);

    await sql`insert into bulk.rows select n, 'k' from generate_series(1001, 1200) n`;
    expect(await refreshStatistics(sql, { table: 'bulk.rows', changed: 150 })).toBe(false);
    expect(await analysedRows()).toBe(1000);
    expect(await refreshStatistics(sql, { table: 'bulk.rows', changed: 151 })).toBe(true);
    expect(await analysedRows()).toBe(1200);
    expect(await columnsWithStatistics()).toEqual(['id', 'kind']);
  });

  it('when another transaction holds the table against ANALYZE, then the refresh fails on its lock timeout', async () => {
    const lock = await holdTableLock(database.url, 'bulk.rows', 'share update exclusive');
    try {
      await expect(refreshStatistics(sql, { table: 'bulk.rows', changed: 10_000 })).rejects.toMatchObject({
        code: '55P03',
      });
    } finally {
      await lock.release();
    }
  });
});
