import postgres from 'postgres';
import type { Logger } from '../logger.ts';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
export type ReservedSql = postgres.ReservedSql;

/** The pool a service uses for its own schema; notices go to the log, not to stdout. */
export function createDatabase(options: { url: string; logger: Logger; max?: number; applicationName: string }): Sql {
  return postgres(options.url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 5,
    // Every statement here is short and reads through indexes; PostgreSQL's JIT still compiled those whose
    // estimate passed its threshold, each time: 20 ms of CPU per reconciliation pass, every 2 s.
    connection: { application_name: options.applicationName, jit: 'off' },
    onnotice: (notice) => options.logger.debug({ notice: notice.message }, 'postgres notice'),
    transform: { undefined: null },
  });
}

export const postgresReadiness = (sql: Sql) => async () => {
  await sql`select 1`;
};

/**
 * Creates the database named in the URL when it does not exist yet, connecting to the server's
 * `postgres` database to do so. Used by local start-up and tests; clusters create it in their manifests.
 */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql`select 1 as present from pg_database where datname = ${name}`;
    if (!row) {
      await sql.unsafe(`create database ${quoteIdentifier(name)}`).catch((error: { code?: string }) => {
        // Another process created it between the check and now: 42P04 once its transaction committed,
        // 23505 on pg_database's unique index while it was still committing (replicas starting at once).
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
