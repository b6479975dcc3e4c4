import { describe, expect, it } from 'vitest';
import { funnelOf } from './funnel.ts';

describe('funnelOf', () => {
  it('when messages are counted by their last status, then each stage includes the ones past it', () => {
    const funnel = funnelOf({ total: 10, sent: 2, delivered: 3, read: 1, failed: 3, skipped: 1 });
    expect(funnel.bars.map((bar) => [bar.name, bar.count, bar.share])).toEqual([
      ['sent', 6, 0.6],
      ['delivered', 4, 0.4],
      ['read', 1, 0.1],
      ['failed', 3, 0.3],
      ['skipped', 1, 0.1],
    ]);
    expect(funnel.label).toBe('6 sent, 4 delivered, 1 read, 3 failed, 1 skipped of 10');
  });

  it('when a run has no messages, then every share is zero rather than NaN', () => {
    expect(
      funnelOf({ total: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0 }).bars.every(
        (bar) => bar.share === 0,
      ),
    ).toBe(true);
  });
});
