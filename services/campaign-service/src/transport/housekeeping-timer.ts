import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';

/**
 * Periodic chores every replica may run (each is a single idempotent statement): completing recurring
 * campaigns past their end, and forgetting old idempotency keys and published outbox rows.
 */
export function startHousekeeping(options: { intervalMs: number; clock: Clock; logger: Logger; chores: Record<string, (now: Date) => Promise<number>> }) {
  const log = options.logger.child({ component: 'housekeeping' });
  let pass: Promise<void> = Promise.resolve();
  const runPass = async () => {
    const now = options.clock.now();
    for (const [name, chore] of Object.entries(options.chores)) {
      try {
        const affected = await chore(now);
        if (affected > 0) log.info({ chore: name, affected }, 'housekeeping done');
      } catch (error) {
        log.warn({ err: error, chore: name }, 'housekeeping chore failed; next pass retries');
      }
    }
  };
  pass = runPass();
  const timer = setInterval(() => {
    pass = pass.then(runPass);
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pass;
    },
  };
}
