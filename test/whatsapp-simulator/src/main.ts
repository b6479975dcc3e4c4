import { runService } from '@ektola/platform/lifecycle';
import { configSchema } from './config.ts';
import { createSimulator } from './simulator.ts';

await runService({
  service: 'whatsapp-simulator',
  env: process.env,
  configSchema,
  async start(config, logger) {
    const simulator = createSimulator(config, { logger });
    await simulator.start();
    return simulator;
  },
});
