import { pruneInBatches, type PruneMetrics } from '@ektola/platform/postgres';
import type {
  CampaignRepository,
  IdempotencyKeys,
  PublishedOutbox,
  RecipientSets,
  SessionStore,
} from '../domain/ports.ts';
import type { Chore } from './housekeeping-timer.ts';

const hour = 60 * 60 * 1000;

export interface ChoreDependencies {
  campaigns: Pick<CampaignRepository, 'completeEnded'>;
  idempotency: Pick<IdempotencyKeys, 'deleteOlderThan'>;
  outbox: PublishedOutbox;
  recipientSets: Pick<RecipientSets, 'discardOlderThan'>;
  sessions: Pick<SessionStore, 'deleteExpired'>;
  pruned: PruneMetrics;
  /** How long a recurring campaign stays ACTIVE or PAUSED after its endAt. */
  campaignEndGraceMs: number;
  idempotencyTtlHours: number;
}

/**
 * The campaign-service's housekeeping: recurring campaigns past their end are completed;
 * idempotency keys past their time, outbox rows published a week ago and expired console sessions
 * are forgotten, in batches, so no statement locks many rows.
 */
export function campaignChores(deps: ChoreDependencies): Record<string, Chore> {
  return {
    completeEndedCampaigns: async (now) => (await deps.campaigns.completeEnded(now, deps.campaignEndGraceMs)).length,
    // A re-targeted audience's staged recipients outlive their evaluation only when it was interrupted.
    forgetRecipientSets: (now) => deps.recipientSets.discardOlderThan(new Date(now.getTime() - 24 * hour)),
    forgetIdempotencyKeys: (now, signal) => {
      const cutoff = new Date(now.getTime() - deps.idempotencyTtlHours * hour);
      return pruneInBatches({
        table: 'campaign.idempotency_keys',
        metrics: deps.pruned,
        signal,
        deleteBatch: (limit) => deps.idempotency.deleteOlderThan(cutoff, limit),
      });
    },
    forgetExpiredSessions: (now, signal) =>
      pruneInBatches({
        table: 'campaign.sessions',
        metrics: deps.pruned,
        signal,
        deleteBatch: (limit) => deps.sessions.deleteExpired(now, limit),
      }),
    deletePublishedOutbox: (now, signal) => {
      const cutoff = new Date(now.getTime() - 7 * 24 * hour);
      return pruneInBatches({
        table: 'campaign.outbox',
        metrics: deps.pruned,
        signal,
        deleteBatch: (limit) => deps.outbox.deletePublishedBefore(cutoff, limit),
      });
    },
  };
}

/** Every sender read again at Meta, on its own interval (SENDER_REFRESH_INTERVAL_MS): Meta is asked once per number. */
export const senderChores = (refreshAll: () => Promise<number>): Record<string, Chore> => ({
  refreshSenders: () => refreshAll(),
});
