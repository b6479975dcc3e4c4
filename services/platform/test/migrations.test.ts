import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createDatabase, migrate, type Sql } from '../src/postgres/mod.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/mod.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
let database: TestDatabase;
const pools: Sql[] = [];
const directories: string[] = [];
const pool = () => {
  const sql = createDatabase({ url: database.url, logger, applicationName: 'migrations-test', max: 2 });
  pools.push(sql);
  return sql;
};

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
  await database.drop();
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function migrationsDirectory(files: Record<string, string>) {
  const directory = await mkdtemp(join(tmpdir(), 'ektola-migrations-'));
  directories.push(directory);
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, name), text);
  return directory;
}

describe('migrate', () => {
  it('when five replicas migrate at once, then each migration is applied exactly once', async () => {
    const directory = await migrationsDirectory({
      '0001_counters.sql': 'create table counters (id int primary key, applied int not null);',
      '0002_seed.sql':
        'insert into counters values (1, 1) on conflict (id) do update set applied = counters.applied + 1;',
    });

    const reports = await Promise.all(Array.from({ length: 5 }, () => migrate(pool(), { schema: 'race', directory })));

    expect(reports.flatMap((report) => report.applied).sort()).toEqual(['0001_counters.sql', '0002_seed.sql']);
    const [row] = await pool()`select applied from race.counters where id = 1`;
    expect(row?.applied).toBe(1);
  });

  it('when a migration fails, then nothing of that pass is left behind and the error surfaces', async () => {
    const directory = await migrationsDirectory({
      '0001_ok.sql': 'create table widgets (id int primary key);',
      '0002_broken.sql': 'create table gadgets (id int primary key); select no_such_function();',
    });

    await expect(migrate(pool(), { schema: 'broken', directory })).rejects.toThrow(/no_such_function/);

    const tables = await pool()`select table_name from information_schema.tables where table_schema = 'broken'`;
    expect(tables).toEqual([]);
  });

  it('when two files share a number, then it refuses to guess an order', async () => {
    const directory = await migrationsDirectory({ '0001_a.sql': 'select 1;', '0001_b.sql': 'select 1;' });
    await expect(migrate(pool(), { schema: 'dupes', directory })).rejects.toThrow(/0001/);
  });

  it('when run again after new files arrive, then only the new ones are applied', async () => {
    const directory = await migrationsDirectory({ '0001_first.sql': 'create table first (id int);' });
    await migrate(pool(), { schema: 'grow', directory });
    await writeFile(join(directory, '0002_second.sql'), 'create table second (id int);');

    const report = await migrate(pool(), { schema: 'grow', directory });

    expect(report).toEqual({ applied: ['0002_second.sql'], alreadyApplied: 1 });
  });
});
