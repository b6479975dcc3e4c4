import { describe, expect, it } from 'vitest';
import { chooseSender } from '@ektola/platform/senders';
import type { AssignedMessage } from './ports.ts';
import { planReassignment, sendersOfRun } from './sender-assignment.ts';

const a = { phoneNumberId: 'a', weight: 80 };
const b = { phoneNumberId: 'b', weight: 80 };
const c = { phoneNumberId: 'c', weight: 80 };
const message = (id: string, phoneNumberId: string, overrides: Partial<AssignedMessage> = {}): AssignedMessage => ({
  id,
  status: 'PENDING',
  runId: 'r1',
  contactId: `contact-${id}`,
  phoneNumberId,
  waitingReason: undefined,
  runSenders: [a, b, c],
  ...overrides,
});
const none = new Set<string>();

describe('sendersOfRun', () => {
  it('when a run names no senders, then its own number is its one sender', () => {
    expect(sendersOfRun('n1', undefined)).toEqual([{ phoneNumberId: 'n1', weight: 1 }]);
    expect(sendersOfRun('n1', [a])).toEqual([a]);
  });
});

describe('planReassignment', () => {
  it('when a number stops, then its messages move to the number chosen among the others that send', () => {
    const messages = Array.from({ length: 50 }, (_, index) => message(`m${index}`, 'a'));
    const plan = planReassignment(messages, { sending: new Set(['b', 'c']), reopened: none });
    expect(plan).toHaveLength(50);
    for (const [index, step] of plan.entries())
      expect(step).toEqual({
        id: `m${index}`,
        kind: 'move',
        phoneNumberId: chooseSender(`contact-m${index}`, [b, c]).phoneNumberId,
      });
  });

  it('when a number stops and its run has no other sender that sends, then its messages wait, once', () => {
    const plan = planReassignment([message('m1', 'a'), message('m2', 'a', { waitingReason: 'sender_unavailable' })], {
      sending: none,
      reopened: none,
    });
    expect(plan).toEqual([{ id: 'm1', kind: 'wait' }]);
  });

  it('when a number stops with messages in flight on it, then they move (for a retry) but never wait or get released', () => {
    const inFlight = { status: 'SENDING' as const };
    expect(planReassignment([message('m1', 'a', inFlight)], { sending: new Set(['b']), reopened: none })).toEqual([
      { id: 'm1', kind: 'move', phoneNumberId: 'b' },
    ]);
    expect(planReassignment([message('m1', 'a', inFlight)], { sending: none, reopened: none })).toEqual([]);
    expect(
      planReassignment([message('m1', 'a', inFlight)], { sending: new Set(['a']), reopened: new Set(['a']) }),
    ).toEqual([]);
  });

  it('when a number sends again, then the messages waiting on it are released and the others left alone', () => {
    const plan = planReassignment(
      [message('m1', 'a', { waitingReason: 'sender_unavailable' }), message('m2', 'a'), message('m3', 'b')],
      { sending: new Set(['a', 'b']), reopened: none },
    );
    expect(plan).toEqual([{ id: 'm1', kind: 'release' }]);
  });

  it('when a stopped number reopens, then every message on it is released, marked or not', () => {
    const plan = planReassignment([message('m1', 'a'), message('m2', 'a', { waitingReason: 'sender_unavailable' })], {
      sending: new Set(['a']),
      reopened: new Set(['a']),
    });
    expect(plan.map((step) => step.kind)).toEqual(['release', 'release']);
  });

  it('when a message waits on a stopped number and another sender of its run sends again, then it moves there', () => {
    const plan = planReassignment([message('m1', 'a', { waitingReason: 'sender_unavailable' })], {
      sending: new Set(['c']),
      reopened: new Set(['c']),
    });
    expect(plan).toEqual([{ id: 'm1', kind: 'move', phoneNumberId: 'c' }]);
  });
});
