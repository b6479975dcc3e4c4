import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';
import { DueQueue } from './due-queue.ts';

describe('DueQueue', () => {
  it('gives back what is due, earliest first and in arrival order for ties', () => {
    const queue = new DueQueue<string>();
    for (const [at, item] of [
      [30, 'c'],
      [10, 'a1'],
      [20, 'b'],
      [10, 'a2'],
      [40, 'd'],
    ] as const)
      queue.push(at, item);
    expect(queue.nextDueMs()).toBe(10);
    expect(queue.popDue(25)).toEqual(['a1', 'a2', 'b']);
    expect(queue.size).toBe(2);
    expect(queue.popDue(100)).toEqual(['c', 'd']);
    expect(queue.nextDueMs()).toBeUndefined();
  });

  it('stays ordered under many random pushes', () => {
    const queue = new DueQueue<number>();
    const times = Array.from({ length: 2_000 }, () => Math.floor(Math.random() * 1_000));
    for (const at of times) queue.push(at, at);
    expect(queue.popDue(1_000)).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('retryDelayMs', () => {
  it('doubles from the initial delay up to the cap, taking at most a fifth off', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => retryDelayMs(attempt, 500, 3_000, () => 0))).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
    expect(retryDelayMs(2, 500, 3_000, () => 1)).toBe(800);
  });
});
