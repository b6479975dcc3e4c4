import { runMigrationCommand } from '@ektola/platform/migrate-command';

// The Helm hook's entry point: apply this service's migrations, then exit.
process.exitCode = await runMigrationCommand({
  service: 'callback-service',
  schema: 'callbacks',
  migrations: new URL('../migrations/', import.meta.url).pathname,
  env: process.env,
});
