import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from './database.ts';
import { quoteIdentifier } from './database.ts';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

const migrationFile = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * Applies a service's ordered SQL migrations to its own schema. The whole pass runs in one
 * transaction under an advisory lock keyed by the schema, so replicas starting together apply each
 * migration exactly once and a failed migration leaves nothing half-written. The well-known
 * migration libraries either bring their own database driver or no lock, hence this small runner.
 */
export async function migrate(sql: Sql, options: { schema: string; directory: string }): Promise<MigrationReport> {
  const files = (await readdir(options.directory)).filter((file) => migrationFile.test(file)).sort();
  const versions = files.map((file) => file.slice(0, 4));
  const duplicate = versions.find((version, index) => versions.indexOf(version) !== index);
  if (duplicate) throw new Error(`two migrations share the number ${duplicate} in ${options.directory}`);

  const schema = quoteIdentifier(options.schema);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`ektola.migrations.${options.schema}`}))`;
    await tx.unsafe(`create schema if not exists ${schema}`);
    await tx.unsafe(
      `create table if not exists ${schema}.schema_migrations (
         name text primary key,
         applied_at timestamptz not null default now()
       )`,
    );
    const done = new Set(
      (await tx.unsafe(`select name from ${schema}.schema_migrations`)).map((row) => row.name as string),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const text = await readFile(join(options.directory, file), 'utf8');
      await tx.unsafe(`set local search_path to ${schema}, public`);
      await tx.unsafe(text);
      await tx.unsafe(`insert into ${schema}.schema_migrations (name) values ($1)`, [file]);
      applied.push(file);
    }
    return { applied, alreadyApplied: done.size };
  });
}
