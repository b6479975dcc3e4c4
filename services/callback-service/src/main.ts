import { runService } from '@ektola/platform/lifecycle';
import { buildApp } from './app.ts';
import { configSchema } from './config.ts';

await runService({
  service: 'callback-service',
  env: process.env,
  configSchema,
  async start(config, logger) {
    const app = await buildApp(config, logger);
    await app.start();
    return app;
  },
});
