import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect } from 'vitest';
import { uniqueNamespace, type NatsCluster } from '@ektola/platform/testing';
import {
  startClusterStack,
  startNatsClusterWithUsers,
  type ClusterOptions,
  type ClusterStack,
  type NatsCredentials,
} from '../../deploy/local/cluster.ts';
import {
  runScenario,
  useFaultSystem,
  type FaultSystem,
  type Scenario,
  type ScenarioResult,
} from '../faults/support.ts';
import { explainUnsettled } from './unsettled.ts';

/*
 * The scale suite's harness: the fault suite's (a campaign through the public REST API, every answer
 * recorded, the same invariants at the end) on the distributed shape of deploy/local/cluster.ts: a
 * three-node JetStream cluster of the test's own with streams at three replicas, campaign-service ×2,
 * dispatcher-service ×3 and webhook-service ×2 behind round-robin balancers, in a database of its own.
 */

/** Contacts per scenario: SCALE_N, default 5,000. */
export const scaleN = Number(process.env.SCALE_N ?? 5_000);
const resultsDir = new URL('./results/', import.meta.url);

export interface ScaleSystem {
  system: FaultSystem;
  stack: ClusterStack;
  nats: NatsCluster;
  /** What each service connects to NATS with: the chart's users and permissions. */
  credentials: NatsCredentials;
  /** The cluster operator's user, allowed to read the streams' messages. */
  operator: { user: string; pass: string };
  /** The number's limit in this scenario: the dispatchers' WHATSAPP_MPS and the simulator's alike. */
  mps: number;
}

export interface ScaleOptions {
  cluster?: Partial<ClusterOptions>;
  /** The number's limit (default 500/s); a scenario that must last a minute sends slower. */
  mps?: number;
  /** Settings for every dispatcher replica on top of the suite's. */
  dispatcherEnv?: Record<string, string>;
}

/** One cluster system for the test file, started before its test and stopped after it. */
export function useScaleSystem(prefix: string, own: ScaleOptions = {}): () => ScaleSystem {
  const mps = own.mps ?? 500;
  let nats: NatsCluster;
  let credentials: NatsCredentials;
  let operator: ScaleSystem['operator'];
  const system = useFaultSystem(prefix, async () => {
    // The users' permissions name the namespace's subjects and streams, so it is chosen before the
    // cluster starts and given to the services in place of the harness's own.
    const namespace = uniqueNamespace(prefix);
    const withUsers = await startNatsClusterWithUsers(namespace);
    nats = withUsers.cluster;
    credentials = withUsers.credentials;
    operator = withUsers.operator;
    // A connection without a user is refused, so every service here works within its permissions.
    await expect(connect({ servers: nats.seedList.split(','), reconnect: false })).rejects.toThrow(/authorization/i);
    return {
      options: {
        natsUrl: nats.seedList,
        // Meta retries a webhook for days; the simulator's default 5 attempts (about 8 s of backoff)
        // end inside a NATS leader election or a quorum loss, and its statuses would be dropped there.
        // 12 attempts (about 47 s) once ended before a quorum re-formed on a loaded machine, leaving
        // 2 messages DELIVERED; 40 (about 3 minutes) outlast that.
        env: {
          SIMULATOR_WEBHOOK_MAX_ATTEMPTS: '40',
          SIMULATOR_WEBHOOK_RETRY_MAX_MS: '5000',
          WHATSAPP_MPS: String(mps),
          SIMULATOR_THROUGHPUT_MPS: String(mps),
          EKTOLA_NAMESPACE: namespace,
        },
        launch: (options) =>
          startClusterStack({
            ...options,
            ...own.cluster,
            nats: withUsers,
            // Three dispatchers at the default 12 connections and two campaign-services would take half
            // of the shared server's 100, which other test runs on this machine use too.
            serviceEnv: {
              ...options.serviceEnv,
              'dispatcher-service': {
                ...options.serviceEnv?.['dispatcher-service'],
                DATABASE_POOL_SIZE: '6',
                // More connections to Meta than sends a replica has in flight (up to 132 were measured
                // here while the simulator lagged): with fewer, the rest wait in the HTTP pool's queue
                // and leave after the rate slot they were checked against has passed.
                HTTP_CONNECTIONS: '256',
                ...own.dispatcherEnv,
              },
            },
          }),
      },
      stop: () => nats.stop(),
    };
  });
  return () => ({ system: system(), stack: system().stack as ClusterStack, nats, credentials, operator, mps });
}

/**
 * A scenario at SCALE_N contacts, its row in test/scale/results, held to the scenario's own limit as
 * the fault suite holds its own: sends accepted and sends attempted in any sliding second across all
 * dispatcher replicas, and no refusal from Meta at all. The default sender is capped at that limit
 * (the simulator's number reports Meta's HIGH level, 1,000/s).
 */
export async function runScaleScenario(scale: ScaleSystem, scenario: Scenario): Promise<ScenarioResult> {
  return runScenario(scale.system, {
    n: scaleN,
    acceptedLimit: scale.mps,
    senderMps: scale.mps,
    explainUnsettled: (runId) => explainUnsettled(scale, runId),
    ...scenario,
    resultsDir,
  });
}

/** The server name of the NATS node leading a stream of the system's namespace (e.g. DISPATCH). */
export async function streamLeader(scale: ScaleSystem, stream: string): Promise<string> {
  // The dispatcher's user may read the streams it works on, DISPATCH among them.
  const { NATS_USER: user, NATS_PASSWORD: pass } = scale.credentials['dispatcher-service'];
  const nc = await connect({
    servers: scale.nats.nodes.filter((node) => node.running()).map((node) => node.url),
    user,
    pass,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(`${scale.stack.settings.EKTOLA_NAMESPACE!.toUpperCase()}_${stream}`);
    if (!info.cluster?.leader) throw new Error(`stream ${stream} has no leader`);
    if (info.config.num_replicas !== 3) throw new Error(`stream ${stream} has ${info.config.num_replicas} replicas`);
    return info.cluster.leader;
  } finally {
    await nc.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
