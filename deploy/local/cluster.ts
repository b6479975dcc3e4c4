import { randomBytes } from 'node:crypto';
import { natsAuthorization, natsServices, type NatsService } from '@ektola/platform/events';
import {
  freePort,
  startNatsCluster,
  startTcpBalancer,
  type NatsCluster,
  type TcpBalancer,
} from '@ektola/platform/testing';
import {
  developmentDefaults,
  spawnService,
  stackEnvironment,
  waitUntilReady,
  type RunningService,
  type ServiceName,
  type Stack,
} from './stack.ts';

/**
 * The distributed shape on one machine: a three-node JetStream cluster (streams at three replicas),
 * every service but the scheduler as replicas behind round-robin balancers standing in for the
 * Kubernetes Services (REST, webhooks, the three gRPC servers, the dispatcher's and callback-service's ops ports), and scheduler
 * passes run as the CronJob runs them. `npm run stack:cluster` runs it by hand; test/scale drives it.
 * Replicas join their balancer once /readyz answers and leave it before they are signalled, as
 * endpoints follow readiness and pod deletion.
 */

export type ReplicatedService = 'campaign-service' | 'dispatcher-service' | 'webhook-service' | 'callback-service';

/** campaign-service ×2, dispatcher-service ×3, webhook-service ×2, callback-service ×2 unless told otherwise. */
export const clusterReplicas: Record<ReplicatedService, number> = {
  'campaign-service': 2,
  'dispatcher-service': 3,
  'webhook-service': 2,
  'callback-service': 2,
};

export interface ClusterOptions {
  /** Settings as startStack takes them (DATABASE_URL, EKTOLA_NAMESPACE, WHATSAPP_MPS …); ports are chosen here. */
  env?: Record<string, string>;
  replicas?: Partial<Record<ReplicatedService, number>>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  onOutput?: (service: string, line: string) => void;
  /** A scheduler pass every this many milliseconds, overlapping passes allowed; false: passes only on demand. */
  schedulerEveryMs?: number | false;
  /**
   * A cluster the caller owns (and stops), with the credentials its services connect with; default: a
   * three-node cluster of this stack's own with the chart's users (startNatsClusterWithUsers).
   */
  nats?: NatsClusterWithUsers;
}

/** NATS_USER and NATS_PASSWORD of each service that connects to NATS. */
export type NatsCredentials = Record<NatsService, { NATS_USER: string; NATS_PASSWORD: string }>;

export interface NatsClusterWithUsers {
  cluster: NatsCluster;
  credentials: NatsCredentials;
  /** An operator's user, allowed everything (reading a stream's messages, say), as whoever runs the cluster has. */
  operator: { user: string; pass: string };
}

/**
 * Three clustered nats-servers whose users and subject permissions are the ones the chart gives NATS
 * (events/nats-permissions.ts) for `namespace`, with fresh passwords: a service doing anything outside
 * its permissions fails here as it would in production, on the distributed shape too.
 */
export async function startNatsClusterWithUsers(namespace: string): Promise<NatsClusterWithUsers> {
  const passwords = Object.fromEntries(
    natsServices.map((service) => [service, randomBytes(18).toString('base64url')]),
  ) as Record<NatsService, string>;
  const operator = { user: 'operator', pass: randomBytes(18).toString('base64url') };
  const services = natsAuthorization(namespace, passwords);
  const cluster = await startNatsCluster({
    size: 3,
    authorization: { users: [...services.users, { user: operator.user, password: operator.pass }] },
    probe: { user: 'webhook-service', pass: passwords['webhook-service'] },
  });
  const credentials = Object.fromEntries(
    natsServices.map((service) => [service, { NATS_USER: service, NATS_PASSWORD: passwords[service] }]),
  ) as NatsCredentials;
  return { cluster, credentials, operator };
}

export interface Replica {
  /** `dispatcher-service#2`: the service and a number that is never reused. */
  id: string;
  name: ReplicatedService;
  process: RunningService;
  readyUrl: string;
}

export interface ClusterStack extends Stack {
  nats: NatsCluster;
  /** The replicas of a service that are running. */
  replicas(name: ReplicatedService): Replica[];
  /** Starts one more replica and, once it is ready, puts it behind its balancers. */
  addReplica(name: ReplicatedService): Promise<Replica>;
  /** Takes a replica out of its balancers, sends `signal` and waits until it exited. */
  stopReplica(replica: Replica, signal: NodeJS.Signals): Promise<number | string>;
  /** Kubernetes' rolling update: a new replica, ready, then SIGTERM to an old one, for each old one. */
  rollingRestart(name: ReplicatedService): Promise<void>;
}

type Endpoint =
  'api' | 'campaignGrpc' | 'webhook' | 'dispatcherOps' | 'dispatcherGrpc' | 'callbackOps' | 'callbackGrpc';
/** Which balancer serves which of a replica's ports, and the replica's setting naming that port. */
const endpointsOf: Record<ReplicatedService, Array<{ endpoint: Endpoint; setting: string }>> = {
  'campaign-service': [
    { endpoint: 'api', setting: 'PORT' },
    { endpoint: 'campaignGrpc', setting: 'GRPC_PORT' },
  ],
  'dispatcher-service': [
    { endpoint: 'dispatcherOps', setting: 'OPS_PORT' },
    { endpoint: 'dispatcherGrpc', setting: 'GRPC_PORT' },
  ],
  'webhook-service': [{ endpoint: 'webhook', setting: 'PORT' }],
  'callback-service': [
    { endpoint: 'callbackOps', setting: 'OPS_PORT' },
    { endpoint: 'callbackGrpc', setting: 'GRPC_PORT' },
  ],
};
const readinessSetting: Record<ReplicatedService, string> = {
  'campaign-service': 'PORT',
  'dispatcher-service': 'OPS_PORT',
  'webhook-service': 'PORT',
  'callback-service': 'OPS_PORT',
};

export async function startClusterStack(options: ClusterOptions = {}): Promise<ClusterStack> {
  const host = '127.0.0.1';
  const owned =
    options.nats ??
    (await startNatsClusterWithUsers(options.env?.EKTOLA_NAMESPACE ?? developmentDefaults.EKTOLA_NAMESPACE!));
  const nats = owned.cluster;
  const balancers = {} as Record<Endpoint, TcpBalancer>;
  for (const endpoint of [
    'api',
    'campaignGrpc',
    'webhook',
    'dispatcherOps',
    'dispatcherGrpc',
    'callbackOps',
    'callbackGrpc',
  ] as const)
    balancers[endpoint] = await startTcpBalancer();
  const settings: Record<string, string> = {
    ...developmentDefaults,
    ...options.env,
    NATS_URL: nats.seedList,
    SIMULATOR_PORT: String(await freePort()),
    SCHEDULER_OPS_PORT: String(await freePort()),
    CAMPAIGN_PORT: String(balancers.api.port),
    CAMPAIGN_GRPC_PORT: String(balancers.campaignGrpc.port),
    WEBHOOK_PORT: String(balancers.webhook.port),
    DISPATCHER_OPS_PORT: String(balancers.dispatcherOps.port),
    DISPATCHER_GRPC_PORT: String(balancers.dispatcherGrpc.port),
    CALLBACK_OPS_PORT: String(balancers.callbackOps.port),
    CALLBACK_GRPC_PORT: String(balancers.callbackGrpc.port),
  };
  const env = stackEnvironment(settings);
  for (const name of ['campaign-service', 'dispatcher-service', 'webhook-service', 'callback-service'] as const)
    env[name].JETSTREAM_REPLICAS = settings.JETSTREAM_REPLICAS ?? '3';
  for (const [name, credentials] of Object.entries(owned.credentials))
    Object.assign(env[name as ServiceName], credentials);
  for (const [name, extra] of Object.entries(options.serviceEnv ?? {})) Object.assign(env[name as ServiceName], extra);
  const urls = {
    api: balancers.api.url('http'),
    webhook: balancers.webhook.url('http'),
    simulator: `http://${host}:${settings.SIMULATOR_PORT}`,
    dispatcherOps: balancers.dispatcherOps.url('http'),
    scheduler: `http://${host}:${settings.SCHEDULER_OPS_PORT}`,
    callbackOps: balancers.callbackOps.url('http'),
  };

  const services: RunningService[] = [];
  const replicas: Replica[] = [];
  const ports = new Map<Replica, Record<string, number>>();
  let counter = 0;
  let stopping = false;
  const running = (replica: Replica) =>
    replica.process.child.exitCode === null && replica.process.child.signalCode === null;
  const updateBalancers = () => {
    for (const [name, endpoints] of Object.entries(endpointsOf) as Array<
      [ReplicatedService, (typeof endpointsOf)[ReplicatedService]]
    >)
      for (const { endpoint, setting } of endpoints)
        balancers[endpoint].setTargets(
          replicas
            .filter((replica) => replica.name === name && running(replica))
            .map((replica) => ({ host, port: ports.get(replica)![setting]! })),
        );
  };
  const addReplica = async (name: ReplicatedService): Promise<Replica> => {
    const own: Record<string, number> = {};
    for (const { setting } of endpointsOf[name]) own[setting] = await freePort();
    const replicaEnv = {
      ...env[name],
      ...Object.fromEntries(Object.entries(own).map(([key, port]) => [key, String(port)])),
    };
    const id = `${name}#${++counter}`;
    const readyUrl = `http://${host}:${own[readinessSetting[name]]}/readyz`;
    // A container that exits before it is ready is started again, as the kubelet restarts it (a
    // fresh cluster's first stream creations at three replicas can time out under load).
    let process: RunningService;
    for (let attempt = 1; ; attempt++) {
      process = spawnService(name, replicaEnv, [], (_, line) => options.onOutput?.(id, line));
      services.push(process);
      try {
        await waitUntilReady(readyUrl, process);
        break;
      } catch (error) {
        const exited = process.child.exitCode !== null || process.child.signalCode !== null;
        if (!exited || attempt === 3 || stopping) throw error;
        options.onOutput?.(id, `exited before it was ready (attempt ${attempt}); restarting`);
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
    const replica: Replica = { id, name, process, readyUrl };
    ports.set(replica, own);
    replicas.push(replica);
    updateBalancers();
    // A replica that dies on its own leaves its balancers, as its endpoint leaves the Service.
    void process.exited.then(() => updateBalancers());
    return replica;
  };
  const stopReplica = async (replica: Replica, signal: NodeJS.Signals) => {
    const index = replicas.indexOf(replica);
    if (index >= 0) replicas.splice(index, 1);
    updateBalancers();
    if (running(replica)) globalThis.process.kill(-replica.process.child.pid!, signal);
    return replica.process.exited;
  };
  const schedulerPasses: RunningService[] = [];
  const runSchedulerPass = (args: string[] = []) => {
    const pass = spawnService(
      'scheduler-service',
      { ...env['scheduler-service'], OPS_PORT: '0' },
      args,
      options.onOutput,
    );
    schedulerPasses.push(pass);
    return pass;
  };
  let cron: NodeJS.Timeout | undefined;
  const stop = async () => {
    stopping = true;
    clearInterval(cron);
    for (const service of [...services, ...schedulerPasses].reverse())
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
    await Promise.all([...services, ...schedulerPasses].map((service) => service.exited));
    await Promise.all(Object.values(balancers).map((balancer) => balancer.close()));
    if (!options.nats) await nats.stop();
  };
  globalThis.process.once('exit', () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGTERM');
  });

  try {
    const simulator = spawnService('whatsapp-simulator', env['whatsapp-simulator'], [], options.onOutput);
    services.push(simulator);
    await waitUntilReady(`${urls.simulator}/_sim/stats`, simulator);
    const counts = { ...clusterReplicas, ...options.replicas };
    await Promise.all(
      (Object.entries(counts) as Array<[ReplicatedService, number]>).flatMap(([name, count]) =>
        Array.from({ length: count }, () => addReplica(name)),
      ),
    );
    if (options.schedulerEveryMs) cron = setInterval(() => !stopping && runSchedulerPass(), options.schedulerEveryMs);
  } catch (error) {
    await stop();
    throw error;
  }

  const first = (name: ServiceName) => {
    const replica = replicas.find((candidate) => candidate.name === name && running(candidate));
    if (!replica) throw new Error(`no ${name} replica is running`);
    return replica;
  };
  return {
    settings,
    urls,
    services,
    env,
    nats,
    replicas: (name) => replicas.filter((replica) => replica.name === name && running(replica)),
    addReplica,
    stopReplica,
    async rollingRestart(name) {
      for (const old of replicas.filter((replica) => replica.name === name && running(replica))) {
        await addReplica(name);
        await stopReplica(old, 'SIGTERM');
      }
    },
    runScheduler: async (args = []) => runSchedulerPass(args).exited,
    kill: (name, signal) => stopReplica(first(name), signal),
    async respawn(name) {
      if (name === 'whatsapp-simulator' || name === 'scheduler-service')
        throw new Error(`${name} is not replicated here`);
      await addReplica(name);
    },
    async restart(name, signal) {
      await stopReplica(first(name), signal);
      if (name !== 'whatsapp-simulator' && name !== 'scheduler-service') await addReplica(name);
    },
    stop,
  };
}
