import { isDomainError, invalid } from '@ektola/platform/errors';
import type { Audience, ResolvedAudience } from './audience.ts';
import type { DispatchQuery, RecipientSets, RunLedger } from './ports.ts';

export interface RecipientStagingDeps {
  dispatch: Pick<DispatchQuery, 'runRecipients'>;
  recipientSets: RecipientSets;
}

/** A re-target names a run of ours; anything else is invalid, naming `<prefix>.fromRun.runId`. */
export async function assertKnownRun(runs: Pick<RunLedger, 'get'>, audience: Audience, prefix: string) {
  if (!audience.fromRun) return;
  try {
    await runs.get(audience.fromRun.runId);
  } catch (error) {
    if (!isDomainError(error) || error.kind !== 'not_found') throw error;
    throw invalid('the audience re-targets a run that does not exist', [
      { path: `${prefix}.fromRun.runId`, message: `no run ${audience.fromRun.runId}` },
    ]);
  }
}

/**
 * Evaluates an audience that re-targets runs: the dispatcher streams each run's matching contacts in
 * batches into a set staged beside the contacts, the audience joins it in SQL, and the set goes when
 * the work ends, however it ends. No run's recipients are ever held in memory whole.
 */
export async function withRunRecipients<T>(
  deps: RecipientStagingDeps,
  audience: ResolvedAudience,
  work: (audience: ResolvedAudience) => Promise<T>,
): Promise<T> {
  if (audience.fromRuns.length === 0) return work(audience);
  const sets: string[] = [];
  try {
    const predicates = [...audience.predicates];
    for (const filter of audience.fromRuns) {
      const setId = deps.recipientSets.open();
      sets.push(setId);
      for await (const contactIds of deps.dispatch.runRecipients(filter))
        await deps.recipientSets.add(setId, contactIds);
      predicates.push({ kind: 'recipient-set', setId });
    }
    return await work({ tagSets: audience.tagSets, predicates, fromRuns: [] });
  } finally {
    for (const setId of sets) await deps.recipientSets.discard(setId);
  }
}
