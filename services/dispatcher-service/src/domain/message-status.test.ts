import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageStatus } from '@ektola/platform/events';
import { mayMove, statusRank } from './message-status.ts';

const apply = (start: MessageStatus, statuses: MessageStatus[]) =>
  statuses.reduce((current, next) => (mayMove(current, next) ? next : current), start);

const reported = fc.constantFrom<MessageStatus>('SENT', 'DELIVERED', 'READ', 'FAILED');

describe('status transitions', () => {
  it('when statuses arrive in any order and any number of times, then the end state is the furthest one', () => {
    fc.assert(
      fc.property(fc.array(reported, { minLength: 1, maxLength: 12 }), (statuses) => {
        const furthest = statuses.reduce((a, b) => (statusRank[b] > statusRank[a] ? b : a));
        const shuffled = [...statuses].reverse();
        return (
          apply('SENDING', statuses) === furthest &&
          apply('SENDING', shuffled) === furthest &&
          apply('SENDING', [...statuses, ...statuses]) === furthest
        );
      }),
    );
  });

  it('when a message is READ, then nothing moves it; when SENT, then FAILED may follow; a delivery outranks a failure', () => {
    for (const next of ['SENT', 'DELIVERED', 'FAILED', 'PENDING'] as const) expect(mayMove('READ', next)).toBe(false);
    expect(mayMove('SENT', 'FAILED')).toBe(true);
    expect(mayMove('FAILED', 'DELIVERED')).toBe(true);
    expect(mayMove('DELIVERED', 'FAILED')).toBe(false);
    expect(mayMove('DELIVERED', 'DELIVERED')).toBe(false);
    expect(mayMove('PENDING', 'READ')).toBe(true);
  });

  it('when a message is SKIPPED, then no status moves it, and no status moves a message into SKIPPED', () => {
    for (const next of ['SENT', 'DELIVERED', 'READ', 'FAILED', 'PENDING', 'SENDING'] as const)
      expect(mayMove('SKIPPED', next)).toBe(false);
    for (const current of ['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED'] as const)
      expect(mayMove(current, 'SKIPPED')).toBe(false);
  });
});
