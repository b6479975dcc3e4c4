import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '@ektola/platform/logger';
import { createDatabase, migrate, type Sql } from '@ektola/platform/postgres';
import { createTestDatabase, type TestDatabase } from '@ektola/platform/testing';

const migrations = new URL('../migrations/', import.meta.url).pathname;

/**
 * A database of the test file's own with the dispatch schema migrated, created before its tests and
 * dropped after them; the returned function gives its pool once the tests run (`max` 1: every
 * statement on one backend, whose statistics the test can flush).
 */
export function useDispatchDatabase(name: string, pool: { max?: number } = {}): () => Sql {
  let database: TestDatabase | undefined;
  let sql: Sql | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(`ektola_${name}`);
    sql = createDatabase({
      url: database.url,
      logger: createLogger({ service: 'test', level: 'silent' }),
      applicationName: `${name}-test`,
      ...pool,
    });
    await migrate(sql, { schema: 'dispatch', directory: migrations });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await database?.drop();
  });
  return () => {
    if (!sql) throw new Error('the dispatch database is ready only inside tests');
    return sql;
  };
}
