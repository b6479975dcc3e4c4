import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsCluster, type NatsCluster } from '@ektola/platform/testing';
import { startClusterStack, type ClusterOptions, type ClusterStack } from '../../deploy/local/cluster.ts';
import {
  runScenario,
  useFaultSystem,
  type FaultSystem,
  type Scenario,
  type ScenarioResult,
} from '../faults/support.ts';

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
}

/** One cluster system for the test file, started before its test and stopped after it. */
export function useScaleSystem(prefix: string, cluster: Partial<ClusterOptions> = {}): () => ScaleSystem {
  let nats: NatsCluster;
  const system = useFaultSystem(prefix, async () => {
    nats = await startNatsCluster({ size: 3 });
    return {
      options: {
        natsUrl: nats.seedList,
        // Meta retries a webhook for days; the simulator's default 5 attempts (about 8 s of backoff)
        // end inside a NATS leader election or a quorum loss, and its statuses would be dropped there.
        env: { SIMULATOR_WEBHOOK_MAX_ATTEMPTS: '12', SIMULATOR_WEBHOOK_RETRY_MAX_MS: '5000' },
        launch: (options) =>
          startClusterStack({
            ...options,
            ...cluster,
            nats,
            // Three dispatchers at the default 12 connections and two campaign-services would take half
            // of the shared server's 100, which other test runs on this machine use too.
            serviceEnv: {
              ...options.serviceEnv,
              'dispatcher-service': { ...options.serviceEnv?.['dispatcher-service'], DATABASE_POOL_SIZE: '6' },
            },
          }),
      },
      stop: () => nats.stop(),
    };
  });
  return () => ({ system: system(), stack: system().stack as ClusterStack, nats });
}

/** A scenario at SCALE_N contacts, its row in test/scale/results. */
export const runScaleScenario = (scale: ScaleSystem, scenario: Scenario): Promise<ScenarioResult> =>
  runScenario(scale.system, { n: scaleN, ...scenario, resultsDir });

/** The server name of the NATS node leading a stream of the system's namespace (e.g. DISPATCH). */
export async function streamLeader(scale: ScaleSystem, stream: string): Promise<string> {
  const nc = await connect({ servers: scale.nats.nodes.filter((node) => node.running()).map((node) => node.url) });
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
