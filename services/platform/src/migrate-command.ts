import { z } from 'zod';
import { ConfigError, logLevel, parseConfig, postgresUrl } from './config.ts';
import { createLogger } from './logger.ts';
import { createDatabase, ensureDatabaseExists } from './postgres/database.ts';
import { migrate } from './postgres/migrations.ts';

const migrateEnv = z.object({
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/ektola'),
  LOG_LEVEL: logLevel.default('info'),
});

/**
 * Applies one service's migrations and exits: the Helm pre-install/pre-upgrade hook runs this before
 * new pods start, so a release never has two versions racing to change a schema. Services still
 * check their migrations at start-up (a no-op after the hook), which keeps `npm start` self-contained.
 */
export async function runMigrationCommand(options: {
  service: string;
  schema: string;
  migrations: string;
  env: Record<string, string | undefined>;
}): Promise<number> {
  let config: z.output<typeof migrateEnv>;
  try {
    config = parseConfig(migrateEnv, options.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.service}: ${error.message}\n`);
    return 1;
  }
  const logger = createLogger({ service: `${options.service}-migrate`, level: config.LOG_LEVEL });
  try {
    await ensureDatabaseExists(config.DATABASE_URL);
    const sql = createDatabase({
      url: config.DATABASE_URL,
      logger,
      applicationName: `${options.service}-migrate`,
      max: 1,
    });
    try {
      const report = await migrate(sql, { schema: options.schema, directory: options.migrations });
      logger.info(
        { schema: options.schema, applied: report.applied, alreadyApplied: report.alreadyApplied },
        'migrations applied',
      );
      return 0;
    } finally {
      await sql.end({ timeout: 5 });
    }
  } catch (error) {
    logger.fatal({ err: error }, 'migrations failed');
    return 1;
  }
}
