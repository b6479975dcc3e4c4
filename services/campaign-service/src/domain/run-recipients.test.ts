import { describe, expect, it } from 'vitest';
import type { ResolvedAudience, RunOutcomeFilter } from './audience.ts';
import { withRunRecipients } from './run-recipients.ts';

function staging(batches: string[][]) {
  const staged = new Map<string, string[]>();
  const asked: RunOutcomeFilter[] = [];
  let next = 0;
  const deps = {
    dispatch: {
      async *runRecipients(filter: RunOutcomeFilter) {
        asked.push(filter);
        yield* batches;
      },
    },
    recipientSets: {
      open: () => `set-${(next += 1)}`,
      add: async (setId: string, ids: readonly string[]) =>
        void staged.set(setId, [...(staged.get(setId) ?? []), ...ids]),
      discard: async (setId: string) => void staged.delete(setId),
      discardOlderThan: async () => 0,
    },
  };
  return { deps, staged, asked };
}

const notRead: RunOutcomeFilter = { runId: 'run-1', statuses: ['SENT', 'DELIVERED'], errorCodes: [] };
const audience: ResolvedAudience = { tagSets: [['loan']], predicates: [], fromRuns: [notRead] };

describe('withRunRecipients', () => {
  it('when an audience re-targets a run, then its recipients are staged batch by batch and joined as a set', async () => {
    const { deps, staged, asked } = staging([['c1', 'c2'], ['c3']]);
    const seen = await withRunRecipients(deps, audience, async (resolved) => ({
      resolved,
      staged: new Map(staged),
    }));
    expect(asked).toEqual([notRead]);
    expect(seen.resolved).toEqual({
      tagSets: [['loan']],
      predicates: [{ kind: 'recipient-set', setId: 'set-1' }],
      fromRuns: [],
    });
    expect(seen.staged.get('set-1')).toEqual(['c1', 'c2', 'c3']);
    expect(staged.size).toBe(0);
  });

  it('when the work fails, then the staged set is discarded all the same', async () => {
    const { deps, staged } = staging([['c1']]);
    await expect(
      withRunRecipients(deps, audience, async () => {
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect(staged.size).toBe(0);
  });

  it('when no run is re-targeted, then the dispatcher is not asked', async () => {
    const { deps, asked } = staging([]);
    const plain = { ...audience, fromRuns: [] };
    expect(await withRunRecipients(deps, plain, async (resolved) => resolved)).toBe(plain);
    expect(asked).toEqual([]);
  });
});
