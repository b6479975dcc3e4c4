import type { Clock } from '@ektola/platform/clock';

/**
 * A clock that reads `startAt` exactly on its first call and then moves with real time, so a single
 * pass under `--now` decides for precisely that instant and a `--every` loop still advances.
 */
export function simulatedClock(startAt: Date, real: Clock): Clock {
  let anchor: number | undefined;
  return {
    now() {
      const realNow = real.now().getTime();
      anchor ??= realNow;
      return new Date(startAt.getTime() + (realNow - anchor));
    },
  };
}
