import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.ts';
import { nextDelayMs, startPeriodic } from './periodic.ts';

const logger = createLogger({ service: 'test', level: 'silent' });

const passesCounted = async (registry: Registry, outcome: string) =>
  (await registry.getSingleMetric('ektola_background_passes_total')?.get())?.values.find(
    (value) => value.labels.outcome === outcome,
  )?.value ?? 0;

/** A pass that stays open until the test ends it. */
function heldPasses() {
  const releases: Array<() => void> = [];
  let running = 0;
  let mostAtOnce = 0;
  return {
    get started() {
      return releases.length;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    releaseLatest: () => releases.at(-1)?.(),
    pass: () =>
      new Promise<void>((resolve) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      }),
  };
}

describe('startPeriodic', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('when started, then a pass runs at once and the next one an interval after it ended', async () => {
    const pass = vi.fn(async () => undefined);
    const task = startPeriodic({ name: 'chore', intervalMs: 1_000, jitter: 0, logger, pass });
    expect(pass).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(pass).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pass).toHaveBeenCalledTimes(2);
    await task.stop();
  });

  it('when a pass outlasts the interval, then no second pass starts until it ends', async () => {
    const held = heldPasses();
    const task = startPeriodic({ name: 'slow', intervalMs: 100, jitter: 0, logger, pass: held.pass });

    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.started).toBe(1);
    held.releaseLatest();
    await vi.advanceTimersByTimeAsync(100);
    expect(held.started).toBe(2);
    expect(held.mostAtOnce).toBe(1);

    held.releaseLatest();
    await task.stop();
  });

  it('when stopped during a pass, then stop waits for that pass, aborts its signal and no pass follows', async () => {
    const held = heldPasses();
    let seenSignal: AbortSignal | undefined;
    const task = startPeriodic({
      name: 'stoppable',
      intervalMs: 100,
      jitter: 0,
      logger,
      pass: (signal) => {
        seenSignal = signal;
        return held.pass();
      },
    });

    let stopped = false;
    const stopping = task.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seenSignal?.aborted).toBe(true);
    expect(stopped).toBe(false);

    held.releaseLatest();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.started).toBe(1);
  });

  it('when the signal given at start aborts, then the task stops as stop() would', async () => {
    const controller = new AbortController();
    const pass = vi.fn(async () => undefined);
    startPeriodic({ name: 'aborted', intervalMs: 100, jitter: 0, logger, pass, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();

    await vi.advanceTimersByTimeAsync(1_000);
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('when a pass fails, then the failure is counted and the next pass still runs', async () => {
    const registry = new Registry();
    const pass = vi.fn().mockRejectedValueOnce(new Error('database restarting')).mockResolvedValue(undefined);
    const task = startPeriodic({ name: 'flaky', intervalMs: 100, jitter: 0, logger, registry, pass });

    await vi.advanceTimersByTimeAsync(100);
    expect(pass).toHaveBeenCalledTimes(2);
    expect(await passesCounted(registry, 'failed')).toBe(1);
    expect(await passesCounted(registry, 'ok')).toBe(1);
    await task.stop();
  });

  it('when asked not to run at start, then the first pass waits an interval', async () => {
    const pass = vi.fn(async () => undefined);
    const task = startPeriodic({ name: 'later', intervalMs: 500, jitter: 0, runAtStart: false, logger, pass });
    expect(pass).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(pass).toHaveBeenCalledTimes(1);
    await task.stop();
  });
  it('when triggered while idle, then a pass runs at once and the interval counts from its end', async () => {
    const pass = vi.fn(async () => undefined);
    const task = startPeriodic({ name: 'nudged', intervalMs: 1_000, jitter: 0, logger, pass });
    await vi.advanceTimersByTimeAsync(600);
    expect(pass).toHaveBeenCalledTimes(1);

    task.trigger();
    expect(pass).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(pass).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(pass).toHaveBeenCalledTimes(3);
    await task.stop();
  });

  it('when triggered several times during a pass, then they fold into one more pass right after it', async () => {
    const held = heldPasses();
    const task = startPeriodic({ name: 'folded', jitter: 0, runAtStart: false, logger, pass: held.pass });
    task.trigger();
    task.trigger();
    task.trigger();
    expect(held.started).toBe(1);

    held.releaseLatest();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.started).toBe(2);
    held.releaseLatest();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(held.started).toBe(2);
    expect(held.mostAtOnce).toBe(1);
    await task.stop();
  });

  it('when triggered after stop, or with a trigger still folded at stop, then no pass starts', async () => {
    const held = heldPasses();
    const task = startPeriodic({ name: 'stopped', jitter: 0, runAtStart: false, logger, pass: held.pass });
    task.trigger();
    task.trigger();
    const stopping = task.stop();
    held.releaseLatest();
    await stopping;
    task.trigger();

    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.started).toBe(1);
  });
});

describe('nextDelayMs', () => {
  it('when jitter is 0.2, then waits stay within ±20 % of the interval and reach both ends', () => {
    expect(nextDelayMs(1_000, 0.2, () => 0)).toBe(800);
    expect(nextDelayMs(1_000, 0.2, () => 0.5)).toBe(1_000);
    expect(nextDelayMs(1_000, 0.2, () => 0.999_999)).toBe(1_200);
  });
});
