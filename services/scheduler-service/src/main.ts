import { parseArgs } from 'node:util';
import { runService } from '@ektola/platform/lifecycle';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

const usage =
  'usage: node services/scheduler-service/src/main.ts [--every <duration, e.g. 30s>] [--now <ISO instant, e.g. 2026-03-06T04:00:00Z>]';

let options: { every?: string | undefined; now?: string | undefined };
try {
  ({ values: options } = parseArgs({ options: { every: { type: 'string' }, now: { type: 'string' } }, strict: true }));
} catch (error) {
  process.stderr.write(`scheduler-service: ${(error as Error).message}\n${usage}\n`);
  process.exit(1);
}

// Flags are the same settings as SCHEDULER_EVERY and SCHEDULER_NOW, so one schema validates both.
const env = {
  ...process.env,
  ...(options.every === undefined ? {} : { SCHEDULER_EVERY: options.every }),
  ...(options.now === undefined ? {} : { SCHEDULER_NOW: options.now }),
};

await runService({
  service: 'scheduler-service',
  env,
  configSchema,
  async start(config, logger) {
    const app = buildApp(config, logger);
    const { finished } = await app.start();
    return finished ? { stop: app.stop, finished } : { stop: app.stop };
  },
});
