export {
  createDatabase,
  ensureDatabaseExists,
  postgresReadiness,
  quoteIdentifier,
  type Sql,
  type TransactionSql,
  type ReservedSql,
} from './database.ts';
export { migrate, type MigrationReport } from './migrations.ts';
export { createPruneMetrics, defaultPruneBatchSize, pruneInBatches, type PruneMetrics } from './prune.ts';
export { refreshStatistics } from './statistics.ts';
