import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startPeriodic } from '@ektola/platform/periodic';

/** One chore's pass at an instant; says how many rows it changed or deleted. */
export type Chore = (now: Date, signal: AbortSignal) => Promise<number>;

/**
 * Periodic chores every replica may run (each idempotent, in short statements): completing recurring
 * campaigns past their end, and forgetting old idempotency keys and published outbox rows. Each chore
 * is a periodic task of its own, so one that fails is logged and counted without holding up the others.
 */
export function startHousekeeping(options: {
  intervalMs: number;
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  chores: Record<string, Chore>;
}) {
  const log = options.logger.child({ component: 'housekeeping' });
  const tasks = Object.entries(options.chores).map(([name, chore]) =>
    startPeriodic({
      name: `housekeeping-${name}`,
      intervalMs: options.intervalMs,
      logger: log,
      registry: options.registry,
      pass: async (signal) => {
        const affected = await chore(options.clock.now(), signal);
        if (affected > 0) log.info({ chore: name, affected }, 'housekeeping done');
      },
    }),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
