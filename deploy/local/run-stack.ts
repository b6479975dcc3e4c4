import { ensureConsoleBuild } from './console-build.ts';
import { developmentDefaults, startStack, stopOnSignals } from './stack.ts';

/**
 * `npm start`: the whole system in development mode against the Cloud API simulator. Every
 * default can be overridden from the environment (e.g. EKTOLA_ADMIN_API_KEY=… npm start).
 */
const overrides = Object.fromEntries(
  Object.keys(developmentDefaults)
    .concat([
      'WHATSAPP_API_BASE_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'DEFAULT_COUNTRY',
      'WHATSAPP_MPS',
      'WHATSAPP_TIER_LIMIT',
      'EKTOLA_NATS_ACCOUNTS',
    ])
    .filter((name) => process.env[name])
    .map((name) => [name, process.env[name]!]),
);

await ensureConsoleBuild((line) => process.stdout.write(`${line}\n`));

const width = 'whatsapp-simulator'.length;
const stack = await startStack({
  env: overrides,
  onOutput: (service, line) => process.stdout.write(`${service.padEnd(width)} | ${line}\n`),
});

process.stdout.write(`
EkTola is running locally, sending to the Cloud API simulator (not Meta).
  Console             ${stack.urls.api}/   (sign in with the admin API key below)
  REST API            ${stack.urls.api}/v1   (docs: ${stack.urls.api}/docs)
  Admin API key       ${stack.settings.EKTOLA_ADMIN_API_KEY}
  Webhook ingress     ${stack.urls.webhook}/webhooks/whatsapp
  Cloud API simulator ${stack.urls.simulator}   (stats: ${stack.urls.simulator}/_sim/stats)
  Dispatcher ops      ${stack.urls.dispatcherOps}/metrics
  Scheduler           every 30 s, ops ${stack.urls.scheduler}/healthz
  Callbacks ops       ${stack.urls.callbackOps}/metrics
Press Ctrl-C to stop.
`);

const { shutdown, stopping } = stopOnSignals(stack);

// If any service dies on its own, take the rest down too rather than leave a half-running system.
for (const service of stack.services) {
  void service.exited.then((code) => {
    if (stopping()) return;
    process.stderr.write(`${service.name} exited (${code}); stopping the rest\n`);
    void shutdown().then(() => process.exit(1));
  });
}
