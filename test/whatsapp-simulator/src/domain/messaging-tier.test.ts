import { describe, expect, it } from 'vitest';
import { dayMs, MessagingTier } from './messaging-tier.ts';

describe('MessagingTier', () => {
  it('when the limit of unique users is reached, then a new user is refused and a known one is not', () => {
    const tier = new MessagingTier(2);
    expect(tier.admit('a', 0)).toBe(true);
    expect(tier.admit('b', 1)).toBe(true);
    expect(tier.admit('c', 2)).toBe(false);
    expect(tier.admit('a', 3)).toBe(true);
    expect(tier.used(3)).toBe(2);
  });

  it('when 24 hours have passed since a user was last messaged, then the slot is free again', () => {
    const tier = new MessagingTier(1);
    tier.admit('a', 0);
    expect(tier.admit('b', dayMs - 1)).toBe(false);
    expect(tier.admit('b', dayMs)).toBe(true);
  });

  it('when a user messaged again inside the window, then the moving window starts from the latest message', () => {
    const tier = new MessagingTier(1);
    tier.admit('a', 0);
    tier.admit('a', dayMs - 10);
    expect(tier.admit('b', dayMs + 10)).toBe(false);
  });

  it('when the user wrote first, or there is no limit, then nothing is counted', () => {
    const tier = new MessagingTier(1);
    tier.admit('a', 0);
    expect(tier.admit('b', 1, true)).toBe(true);
    expect(tier.used(1)).toBe(1);
    expect(new MessagingTier(null).admit('x', 0)).toBe(true);
  });
});
