import { clusterReplicas, startClusterStack } from './cluster.ts';
import { stopOnSignals } from './stack.ts';

/**
 * `npm run stack:cluster`: the distributed shape on this machine (deploy/local/cluster.ts): a
 * three-node JetStream cluster, campaign-service ×2, dispatcher-service ×3, webhook-service ×2
 * behind round-robin balancers, a scheduler pass every minute as the CronJob runs it, in a database
 * of its own (`ektola_cluster`, created by the services on first start).
 */
const passThrough = ['EKTOLA_ADMIN_API_KEY', 'WHATSAPP_MPS', 'WHATSAPP_TIER_LIMIT', 'DEFAULT_COUNTRY', 'LOG_LEVEL'];
const stack = await startClusterStack({
  env: {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ektola_cluster',
    EKTOLA_NAMESPACE: 'ektolacluster',
    ...Object.fromEntries(passThrough.filter((name) => process.env[name]).map((name) => [name, process.env[name]!])),
  },
  // Three dispatchers at 12 connections each and two campaign-services would take half of a
  // default PostgreSQL's 100 connections; 6 each leaves room for everything else on the machine.
  serviceEnv: { 'dispatcher-service': { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '6' } },
  schedulerEveryMs: 60_000,
  onOutput: (service, line) => process.stdout.write(`${service.padEnd(22)} | ${line}\n`),
});

process.stdout.write(`
EkTola is running as a cluster locally, sending to the Cloud API simulator (not Meta).
  NATS seed list      ${stack.nats.seedList}   (nodes ${stack.nats.nodes.map((node) => node.name).join(', ')}, streams at 3 replicas)
  REST API            ${stack.urls.api}/v1   (round-robin over ${clusterReplicas['campaign-service']} campaign-service replicas)
  Admin API key       ${stack.settings.EKTOLA_ADMIN_API_KEY}
  Webhook ingress     ${stack.urls.webhook}/webhooks/whatsapp   (${clusterReplicas['webhook-service']} replicas)
  Dispatcher ops      ${stack.urls.dispatcherOps}/metrics   (${clusterReplicas['dispatcher-service']} replicas)
  Cloud API simulator ${stack.urls.simulator}   (stats: ${stack.urls.simulator}/_sim/stats)
  Scheduler           a pass every minute
Press Ctrl-C to stop.
`);

stopOnSignals(stack);
