import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGrpcTokens, grpcTokenVariables, type GrpcCaller } from '@ektola/platform/grpc';
import { startNatsWithAccounts } from './nats-accounts.ts';

/**
 * The whole system on one machine, every service as its own process, exactly as `npm start` runs it.
 * The end-to-end tests and the benchmark start the same stack through this module.
 */
export interface StackOptions {
  /** Environment shared by every process; missing values take the development defaults below. */
  env?: Record<string, string>;
  /** Scheduler arguments; `npm start` loops every 30 s, tests run it on demand instead. */
  schedulerArgs?: string[] | false;
  /** Where each process's output goes. */
  onOutput?: (service: string, line: string) => void;
  /** Extra environment for one service, e.g. to point a test at a proxy. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/**
 * V8 flags every service runs with, here and in the image. Node 24 sizes the young generation up to two
 * 64 MB semi-spaces, and V8 lets the old generation fill to three or four times the live data with
 * short-lived objects promoted under load before it collects it fully; the resident pages stay. The
 * services' live heaps stay under about 100 MB whatever the run's size (audiences, imports and statuses
 * stream in bounded batches), so a 16 MB semi-space and a 256 MB old generation keep each under 300 MB
 * resident, below the chart's memory limits. These two may travel in NODE_OPTIONS (the image's), where a
 * deployment that would rather spend memory overrides them.
 */
export const serviceNodeOptions = ['--max-semi-space-size=16', '--max-old-space-size=256'];

/**
 * With an old generation capped at 256 MB V8 treats the heap as a small device's and starts the next
 * full collection when the old generation has grown by a small fraction of what survived the last one.
 * Under load a batch's objects live through its sends and statuses (hundreds of milliseconds) and are
 * promoted, so the dispatcher ran a full collection every 0.4 s (27-28 in a 30,000-message run, 4
 * without a cap) and spent a third more CPU per message than uncapped (bench:dispatch: 0.31-0.32 against
 * 0.22 CPU-ms). Letting the old generation grow by half before it is collected again: 18-21 collections,
 * 0.28-0.29 CPU-ms, about 10 MB more resident memory (the dispatcher peaks at 262-269 MB in npm run
 * bench). Doubling it saved twice as much CPU (0.25-0.26) but took the dispatcher's peak to 293-318 MB,
 * past the 300 MB a service may use. Only the services whose CPU goes with every message take it: the
 * webhook-service batches statuses the same way, though its own gain was not measured apart (0.07
 * CPU-ms per message in npm run bench either way). Node accepts it on its command line only, not in
 * NODE_OPTIONS, so the chart's `nodeFlags` carry it.
 */
export const serviceCommandLineFlags: Partial<Record<ServiceName, readonly string[]>> = {
  'dispatcher-service': ['--heap-growing-percent=50'],
  'webhook-service': ['--heap-growing-percent=50'],
};

/**
 * The C library's allocator, here and in the image: one malloc arena per process. glibc gives each thread
 * that finds the arenas busy an arena of its own (up to eight per core) and keeps what it frees there; V8's
 * collector and compiler threads allocate under load, so the freed memory of a dozen arenas stayed
 * resident beside the heap. With one arena the dispatcher peaked at 238-241 MB in `npm run bench` against
 * 260, the webhook-service at 182-191 against 192-200, the callback-service at 166-170 against 174-176, with
 * its CPU per message unchanged (0.336-0.343 against 0.337-0.347 CPU-ms).
 */
export const serviceEnvironment: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** Everything a service's `node` is started with, before its entry point. */
export const nodeFlagsOf = (name: ServiceName) => [...serviceNodeOptions, ...(serviceCommandLineFlags[name] ?? [])];

export type ServiceName =
  | 'whatsapp-simulator'
  | 'campaign-service'
  | 'webhook-service'
  | 'dispatcher-service'
  | 'scheduler-service'
  | 'callback-service';

export const developmentDefaults: Record<string, string> = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ektola',
  NATS_URL: 'nats://127.0.0.1:4222',
  EKTOLA_NAMESPACE: 'ektola',
  EKTOLA_ADMIN_API_KEY: 'ektola-dev-admin-key',
  WHATSAPP_ACCESS_TOKEN: 'dev-access-token',
  WHATSAPP_APP_SECRET: 'dev-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'dev-verify-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
  SIMULATOR_PORT: '8090',
  CAMPAIGN_PORT: '8080',
  CAMPAIGN_GRPC_PORT: '50051',
  WEBHOOK_PORT: '8081',
  DISPATCHER_OPS_PORT: '8082',
  DISPATCHER_GRPC_PORT: '50052',
  SCHEDULER_OPS_PORT: '8083',
  CALLBACK_OPS_PORT: '8084',
  CALLBACK_GRPC_PORT: '50053',
  // Receivers on this machine, over plain http: allowed here, refused in a deployment.
  CALLBACKS_ALLOW_HTTP: 'true',
  CALLBACKS_ALLOW_PRIVATE_NETWORKS: 'true',
  LOG_LEVEL: 'info',
};

/** The settings that name a port, so a test or benchmark can give each a free one. */
export const portSettings = Object.keys(developmentDefaults).filter((name) => name.endsWith('_PORT'));

const root = fileURLToPath(new URL('../../', import.meta.url));
const entries: Record<ServiceName, string> = {
  'whatsapp-simulator': 'test/whatsapp-simulator/src/main.ts',
  'campaign-service': 'services/campaign-service/src/main.ts',
  'webhook-service': 'services/webhook-service/src/main.ts',
  'dispatcher-service': 'services/dispatcher-service/src/main.ts',
  'scheduler-service': 'services/scheduler-service/src/main.ts',
  'callback-service': 'services/callback-service/src/main.ts',
};

/**
 * Node's compile cache for every process the stack starts: each keeps its modules' transpiled
 * TypeScript and compiled code here when it exits and loads them from here when it starts, so a warm
 * start needs no TypeScript transpiler in memory (see services/platform/src/warm-compile-cache.ts).
 * Entries are keyed by each file's content, so edited sources are simply transpiled again.
 */
export const compileCacheDirectory = join(root, 'node_modules', '.cache', 'ektola-compile');

/**
 * Fills the compile cache for the named services as they run here, with their own V8 flags, without
 * starting them: what the image does when it is built, so that a measured run starts as a pod does.
 */
export function warmCompileCache(names: readonly ServiceName[]) {
  for (const name of names) {
    const warm = spawnSync(
      process.execPath,
      [...nodeFlagsOf(name), 'services/platform/src/warm-compile-cache.ts', entries[name]],
      { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: compileCacheDirectory }, encoding: 'utf8' },
    );
    if (warm.status !== 0) throw new Error(`warming the compile cache for ${name} failed: ${warm.stderr}`);
  }
}

/**
 * Every process's environment, derived from one set of settings so they always agree. Each stack gets
 * fresh gRPC tokens unless given some: one per calling service, accepted by the servers it calls.
 */
export function stackEnvironment(
  settings: Record<string, string>,
  grpcTokens: Record<GrpcCaller, string> = generateGrpcTokens(),
): Record<ServiceName, Record<string, string>> {
  const host = '127.0.0.1';
  const tokens = grpcTokenVariables(grpcTokens);
  const campaignGrpc = `${host}:${settings.CAMPAIGN_GRPC_PORT}`;
  const dispatcherGrpc = `${host}:${settings.DISPATCHER_GRPC_PORT}`;
  const common = {
    DATABASE_URL: settings.DATABASE_URL!,
    NATS_URL: settings.NATS_URL!,
    EKTOLA_NAMESPACE: settings.EKTOLA_NAMESPACE!,
    LOG_LEVEL: settings.LOG_LEVEL!,
    HOST: host,
    WHATSAPP_ACCESS_TOKEN: settings.WHATSAPP_ACCESS_TOKEN!,
    WHATSAPP_APP_SECRET: settings.WHATSAPP_APP_SECRET!,
    WHATSAPP_VERIFY_TOKEN: settings.WHATSAPP_VERIFY_TOKEN!,
    WHATSAPP_PHONE_NUMBER_ID: settings.WHATSAPP_PHONE_NUMBER_ID!,
    WHATSAPP_BUSINESS_ACCOUNT_ID: settings.WHATSAPP_BUSINESS_ACCOUNT_ID!,
    WHATSAPP_API_BASE_URL: settings.WHATSAPP_API_BASE_URL ?? `http://${host}:${settings.SIMULATOR_PORT}/v23.0`,
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  };
  const passThrough = (names: string[]) =>
    Object.fromEntries(names.filter((name) => settings[name] !== undefined).map((name) => [name, settings[name]!]));
  return {
    'whatsapp-simulator': {
      ...common,
      PORT: settings.SIMULATOR_PORT!,
      SIMULATOR_WEBHOOK_URL: `http://${host}:${settings.WEBHOOK_PORT}/webhooks/whatsapp`,
      ...passThrough(
        Object.keys(settings).filter((name) => name.startsWith('SIMULATOR_') && name !== 'SIMULATOR_PORT'),
      ),
    },
    'campaign-service': {
      ...common,
      PORT: settings.CAMPAIGN_PORT!,
      GRPC_PORT: settings.CAMPAIGN_GRPC_PORT!,
      DISPATCHER_GRPC_ADDRESS: dispatcherGrpc,
      CALLBACK_GRPC_ADDRESS: `${host}:${settings.CALLBACK_GRPC_PORT}`,
      ...tokens['campaign-service'],
      EKTOLA_ADMIN_API_KEY: settings.EKTOLA_ADMIN_API_KEY!,
      ...passThrough(['DEFAULT_COUNTRY', 'SENDER_REFRESH_INTERVAL_MS', 'SENDER_FLAGGED_MPS_FACTOR']),
    },
    'webhook-service': { ...common, PORT: settings.WEBHOOK_PORT! },
    'dispatcher-service': {
      ...common,
      OPS_PORT: settings.DISPATCHER_OPS_PORT!,
      GRPC_PORT: settings.DISPATCHER_GRPC_PORT!,
      CAMPAIGN_GRPC_ADDRESS: campaignGrpc,
      ...tokens['dispatcher-service'],
      ...passThrough(
        Object.keys(settings).filter(
          (name) => name.startsWith('DISPATCH_') || name.startsWith('WHATSAPP_MPS') || name === 'WHATSAPP_TIER_LIMIT',
        ),
      ),
    },
    'scheduler-service': {
      ...common,
      OPS_PORT: settings.SCHEDULER_OPS_PORT!,
      CAMPAIGN_GRPC_ADDRESS: campaignGrpc,
      ...tokens['scheduler-service'],
    },
    'callback-service': {
      ...common,
      OPS_PORT: settings.CALLBACK_OPS_PORT!,
      GRPC_PORT: settings.CALLBACK_GRPC_PORT!,
      ...tokens['callback-service'],
      ...passThrough(Object.keys(settings).filter((name) => name.startsWith('CALLBACKS_'))),
    },
  };
}

export interface RunningService {
  name: ServiceName;
  child: ChildProcess;
  exited: Promise<number | string>;
}

export function spawnService(
  name: ServiceName,
  env: Record<string, string>,
  args: string[] = [],
  onOutput?: (service: string, line: string) => void,
): RunningService {
  const child = spawn(process.execPath, [...nodeFlagsOf(name), entries[name], ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: compileCacheDirectory, ...serviceEnvironment, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in a terminal signals only the stack, which then stops each
    // service once. A service that got the terminal's SIGINT and then the stack's SIGTERM would take
    // the second signal as "exit now" and skip its graceful drain.
    detached: true,
  });
  const forward = (stream: NodeJS.ReadableStream | null) => {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line) onOutput?.(name, line);
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { name, child, exited };
}

export async function waitUntilReady(url: string, service: RunningService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void service.exited.then((code) => {
    exitedWith = code;
  });
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) throw new Error(`${service.name} exited (${exitedWith}) before it was ready`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} was not ready at ${url} within ${timeoutMs} ms`);
}

export interface Stack {
  settings: Record<string, string>;
  urls: {
    api: string;
    webhook: string;
    simulator: string;
    dispatcherOps: string;
    scheduler: string;
    callbackOps: string;
  };
  services: RunningService[];
  env: Record<ServiceName, Record<string, string>>;
  /** Runs one scheduler pass to completion, e.g. with ['--now', '2026-03-06T04:00:00Z']. */
  runScheduler(args?: string[]): Promise<number | string>;
  /** Sends `signal` to one service of the stack and waits until it exited; it stays down until `respawn`. */
  kill(name: ServiceName, signal: NodeJS.Signals): Promise<number | string>;
  /** Starts a killed service again with the same environment and arguments, on the same ports, and waits until it is ready. */
  respawn(name: ServiceName): Promise<void>;
  /** `kill` then `respawn`: what a crash and Kubernetes' restart of the pod look like. */
  restart(name: ServiceName, signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM to everything, then waits for every process to exit. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const settings = { ...developmentDefaults, ...options.env };
  const natsAccounts =
    settings.EKTOLA_NATS_ACCOUNTS === 'true' ? await startNatsWithAccounts(settings.EKTOLA_NAMESPACE!) : undefined;
  if (natsAccounts) settings.NATS_URL = natsAccounts.server.url;
  const env = stackEnvironment(settings);
  for (const [name, credentials] of Object.entries(natsAccounts?.credentials ?? {}))
    Object.assign(env[name as ServiceName], credentials);
  for (const [name, extra] of Object.entries(options.serviceEnv ?? {})) Object.assign(env[name as ServiceName], extra);
  const host = '127.0.0.1';
  const urls = {
    api: `http://${host}:${settings.CAMPAIGN_PORT}`,
    webhook: `http://${host}:${settings.WEBHOOK_PORT}`,
    simulator: `http://${host}:${settings.SIMULATOR_PORT}`,
    dispatcherOps: `http://${host}:${settings.DISPATCHER_OPS_PORT}`,
    scheduler: `http://${host}:${settings.SCHEDULER_OPS_PORT}`,
    callbackOps: `http://${host}:${settings.CALLBACK_OPS_PORT}`,
  };
  const services: RunningService[] = [];
  const started = new Map<ServiceName, { readyUrl: string; args: string[] }>();
  // Services run in their own process groups, so a stack that ends without stop() takes them along.
  process.once('exit', () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGTERM');
  });
  const stop = async () => {
    for (const service of [...services].reverse()) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => service.exited));
    await natsAccounts?.server.stop();
  };
  try {
    const start = (name: ServiceName, readyUrl: string, args: string[] = []) => {
      const service = spawnService(name, env[name], args, options.onOutput);
      services.push(service);
      started.set(name, { readyUrl, args });
      return waitUntilReady(readyUrl, service);
    };
    // The campaign-service and dispatcher ask each other over gRPC, so they start together.
    await start('whatsapp-simulator', `${urls.simulator}/_sim/stats`);
    await Promise.all([
      start('campaign-service', `${urls.api}/readyz`),
      start('dispatcher-service', `${urls.dispatcherOps}/readyz`),
      start('webhook-service', `${urls.webhook}/readyz`),
      start('callback-service', `${urls.callbackOps}/readyz`),
    ]);
    if (options.schedulerArgs !== false) {
      await start('scheduler-service', `${urls.scheduler}/healthz`, options.schedulerArgs ?? ['--every', '30s']);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const running = (name: ServiceName) =>
    services.find(
      (service) => service.name === name && service.child.exitCode === null && service.child.signalCode === null,
    );
  const kill = async (name: ServiceName, signal: NodeJS.Signals) => {
    const service = running(name);
    if (!service) throw new Error(`${name} is not running`);
    // The whole process group, as a crashing pod takes its children along.
    process.kill(-service.child.pid!, signal);
    return service.exited;
  };
  const respawn = async (name: ServiceName) => {
    const how = started.get(name);
    if (!how) throw new Error(`${name} was never started by this stack`);
    if (running(name)) throw new Error(`${name} is still running`);
    const index = services.findIndex((service) => service.name === name);
    const service = spawnService(name, env[name], how.args, options.onOutput);
    services.splice(index, 1, service);
    await waitUntilReady(how.readyUrl, service);
  };
  return {
    settings,
    urls,
    services,
    env,
    async runScheduler(args = []) {
      const pass = spawnService(
        'scheduler-service',
        { ...env['scheduler-service'], OPS_PORT: '0' },
        args,
        options.onOutput,
      );
      return pass.exited;
    },
    kill,
    respawn,
    async restart(name, signal) {
      await kill(name, signal);
      await respawn(name);
    },
    stop,
  };
}

/** Ctrl-C or SIGTERM stops a stack run by hand once, then exits; `shutdown` does the same from code. */
export function stopOnSignals(stack: { stop(): Promise<void> }): { shutdown(): Promise<void>; stopping(): boolean } {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  return { shutdown, stopping: () => stopping };
}
