import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export interface PeriodicOptions {
  /** Names the task in logs and metrics. */
  name: string;
  /** The wait between passes; without it, passes run only at start (unless `runAtStart` is false) and on `trigger()`. */
  intervalMs?: number | undefined;
  /** Each wait is the interval ± this fraction of it, so replicas started together spread their passes. */
  jitter?: number;
  /** Whether the first pass runs at once (default) or after the first wait. */
  runAtStart?: boolean;
  logger: Logger;
  registry?: Registry | undefined;
  /** Stopping from outside, as `stop()` does. */
  signal?: AbortSignal;
  /** One pass; the signal aborts when the task stops, so a long pass can end between steps. */
  pass: (signal: AbortSignal) => Promise<void>;
  /** For tests: the source of jitter, in [0, 1). */
  random?: () => number;
}

export interface PeriodicTask {
  /**
   * A pass now, for work driven by events as well as time. Triggers while a pass runs fold into one more
   * pass right after it; after stop they do nothing.
   */
  trigger(): void;
  /** No pass starts after this; resolves once the pass in progress (if any) has ended. */
  stop(): Promise<void>;
}

/** The wait before the next pass: the interval moved by up to ±jitter of itself. */
export function nextDelayMs(intervalMs: number, jitter: number, random: () => number): number {
  return Math.max(0, Math.round(intervalMs * (1 + jitter * (2 * random() - 1))));
}

/**
 * The one way a service runs work in the background on a timer: one pass at a time (the next wait
 * starts only when a pass ends, so a slow pass never overlaps the next), a jittered interval, each
 * failure logged and counted (the next pass tries again), and a stop that waits for the pass in progress.
 * `trigger()` asks for a pass ahead of the timer, still one at a time.
 */
export function startPeriodic(options: PeriodicOptions): PeriodicTask {
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ task: options.name });
  const passes = periodicMetrics(options.registry);
  passes.inc({ task: options.name, outcome: 'ok' }, 0);
  passes.inc({ task: options.name, outcome: 'failed' }, 0);

  const stopping = new AbortController();
  const onOuterAbort = () => stopping.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) stopping.abort();

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let running = false;
  let triggered = false;

  async function runPass(): Promise<void> {
    try {
      await options.pass(stopping.signal);
      passes.inc({ task: options.name, outcome: 'ok' });
    } catch (error) {
      passes.inc({ task: options.name, outcome: 'failed' });
      log.warn({ err: error }, 'background pass failed; the next pass tries again');
    }
  }

  function passThenWait() {
    clearTimeout(timer);
    running = true;
    current = runPass().then(() => {
      running = false;
      if (triggered && !stopping.signal.aborted) {
        triggered = false;
        passThenWait();
      } else schedule();
    });
  }

  function schedule() {
    if (stopping.signal.aborted || options.intervalMs === undefined) return;
    timer = setTimeout(passThenWait, nextDelayMs(options.intervalMs, jitter, random));
    timer.unref();
  }

  stopping.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  // Started at once, so a process that stops right after starting has still done one pass.
  if (options.runAtStart === false) schedule();
  else if (!stopping.signal.aborted) passThenWait();

  return {
    trigger() {
      if (stopping.signal.aborted) return;
      if (running) triggered = true;
      else passThenWait();
    },
    async stop() {
      stopping.abort();
      options.signal?.removeEventListener('abort', onOuterAbort);
      await current;
    },
  };
}

function periodicMetrics(registry: Registry | undefined): Counter<'task' | 'outcome'> {
  const name = 'ektola_background_passes_total';
  const existing = registry?.getSingleMetric(name) as Counter<'task' | 'outcome'> | undefined;
  return (
    existing ??
    new Counter({
      name,
      help: 'Passes of periodic background work, by task and outcome (ok, failed)',
      labelNames: ['task', 'outcome'],
      registers: registry ? [registry] : [],
    })
  );
}
