import { describe, expect, it } from 'vitest';
import { chooseSender } from './senders.ts';

const keys = Array.from({ length: 10_000 }, (_, index) => `contact-${index}`);
const shares = (senders: Parameters<typeof chooseSender>[1]) => {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const { phoneNumberId } = chooseSender(key, senders);
    counts.set(phoneNumberId, (counts.get(phoneNumberId) ?? 0) + 1);
  }
  return counts;
};

describe('chooseSender', () => {
  const a = { phoneNumberId: 'a', weight: 80 };
  const b = { phoneNumberId: 'b', weight: 80 };
  const c = { phoneNumberId: 'c', weight: 1000 };

  it('gives a contact the same number every time, whatever the order of the list', () => {
    for (const key of keys.slice(0, 200)) {
      const first = chooseSender(key, [a, b, c]).phoneNumberId;
      expect(chooseSender(key, [c, a, b]).phoneNumberId).toBe(first);
      expect(chooseSender(key, [b, c, a]).phoneNumberId).toBe(first);
    }
  });

  it('splits contacts in proportion to the weights', () => {
    const even = shares([a, b]);
    expect(even.get('a')! / keys.length).toBeCloseTo(0.5, 1);
    const weighted = shares([a, c]);
    // 80 against 1,000: about 7.4 % to a.
    expect(Math.abs(weighted.get('a')! / keys.length - 80 / 1080)).toBeLessThan(0.01);
  });

  it('moves only the removed number’s contacts when a number is taken out', () => {
    const before = new Map(keys.map((key) => [key, chooseSender(key, [a, b, c]).phoneNumberId]));
    for (const key of keys) {
      const after = chooseSender(key, [a, c]).phoneNumberId;
      if (before.get(key) !== 'b') expect(after).toBe(before.get(key));
    }
  });

  it('gives each contact the number earlier releases gave it, so contacts keep their numbers across an upgrade', () => {
    const choices = (senders: Parameters<typeof chooseSender>[1], count: number) =>
      Array.from({ length: count }, (_, index) => chooseSender(`contact-${index}`, senders).phoneNumberId).join('');
    expect(choices([a, b], 16)).toBe('bbbaabaababbbaba');
    expect(choices([a, b, c], 12)).toBe('bcccccccccbc');
  });

  it('gives every contact the only sender of a list of one', () => {
    for (const key of keys.slice(0, 100)) expect(chooseSender(key, [c])).toBe(c);
  });

  it('refuses an empty list', () => {
    expect(() => chooseSender('x', [])).toThrow(/at least one sender/);
  });
});
