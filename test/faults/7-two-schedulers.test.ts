import { afterAll, describe, expect, it } from 'vitest';
import { spawnService, type RunningService } from '../../deploy/local/stack.ts';
import { campaignRuns, faultsN, randomBetween, runScenario, useFaultSystem, until } from './support.ts';

/*
 * Two scheduler processes at once (an overlapping CronJob, or `--every` loops on two machines), both
 * deciding as of the campaign's due time every second, and one of them killed with SIGKILL mid-run and
 * started again. CreateRun is idempotent on (campaign, period), so the campaign gets exactly one run.
 */

const schedulers: RunningService[] = [];
afterAll(async () => {
  for (const scheduler of schedulers) if (scheduler.child.exitCode === null) scheduler.child.kill('SIGTERM');
  await Promise.all(schedulers.map((scheduler) => scheduler.exited));
});
const system = useFaultSystem('faultsched');

const startScheduler = (now: string) => {
  const number = schedulers.length + 1;
  const scheduler = spawnService(
    'scheduler-service',
    { ...system().stack.env['scheduler-service'], OPS_PORT: '0' },
    ['--every', '1s', '--now', now],
    (service, line) => system().output.push(`${service} ${number} | ${line}`),
  );
  schedulers.push(scheduler);
  return { scheduler, number };
};

/** A loaded machine can take seconds to start a process; a SIGTERM before its handlers exist just kills it. */
const firstPassOf = (number: number) =>
  until(
    async () =>
      system().output.some(
        (line) => line.startsWith(`scheduler-service ${number} |`) && line.includes('scheduler pass finished'),
      ),
    60_000,
    `scheduler ${number}'s first pass`,
  );

/** runsCreated summed over every pass any scheduler process logged. */
const runsCreatedByPasses = () =>
  system()
    .output.filter((line) => line.startsWith('scheduler-service') && line.includes('scheduler pass finished'))
    .reduce((sum, line) => sum + (JSON.parse(line.slice(line.indexOf('{'))) as { runsCreated: number }).runsCreated, 0);

describe('fault: two schedulers, one killed', () => {
  it('when two scheduler processes run at once and one is SIGKILLed mid-run and restarted, then the campaign gets exactly one run and every message is READ once', async () => {
    let dueAt = '';
    await runScenario(system(), {
      order: 7,
      name: 'two schedulers at once, one killed mid-run',
      async createRun(_, campaign) {
        dueAt = campaign.dueAt;
        startScheduler(dueAt);
        startScheduler(dueAt);
        let runId = '';
        await until(
          async () => {
            runId = (await campaignRuns(system(), campaign.id))[0]?.id ?? '';
            return runId !== '';
          },
          60_000,
          'the run created',
        );
        return runId;
      },
      async fault({ progressAt, note }) {
        const moment = randomBetween(faultsN * 0.1, faultsN * 0.6);
        await progressAt(moment);
        const victim = schedulers[0]!;
        process.kill(-victim.child.pid!, 'SIGKILL');
        expect(await victim.exited).toBe('SIGKILL');
        await firstPassOf(startScheduler(dueAt).number);
        // A few more passes of both, then both stop as a CronJob's pods would.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        for (const scheduler of schedulers.slice(1)) scheduler.child.kill('SIGTERM');
        expect(await Promise.all(schedulers.slice(1).map((scheduler) => scheduler.exited))).toEqual([0, 0]);
        note(`killed after ${moment} sent; ${runsCreatedByPasses()} run created over all passes`);
      },
    });
    const runs = await campaignRuns(system(), (await system().admin.all<{ id: string }>('/v1/campaigns'))[0]!.id);
    expect(runs).toHaveLength(1);
    expect(runsCreatedByPasses()).toBe(1);
  });
});
