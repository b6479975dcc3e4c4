import { describe, it } from 'vitest';
import type { ReplicatedService } from '../../deploy/local/cluster.ts';
import { runScaleScenario, useScaleSystem } from './support.ts';

/*
 * Every service restarted replica by replica during a run, as a Deployment's rolling update does it:
 * a new replica started, its /readyz answered (then it joins the balancer), an old one taken out of
 * the balancer and sent SIGTERM, its graceful drain awaited, the next one.
 */

const scale = useScaleSystem('scaleroll');

describe('scale: rolling restart', () => {
  it('when every service is restarted replica by replica mid-run, then every message is READ, none sent twice, within the limit', async () => {
    await runScaleScenario(scale(), {
      order: 3,
      name: 'rolling restart of every service',
      async fault({ n, progressAt, note }) {
        await progressAt(Math.round(n * 0.05));
        const { stack } = scale();
        const startedAt = Date.now();
        const order: ReplicatedService[] = [
          'dispatcher-service',
          'webhook-service',
          'callback-service',
          'campaign-service',
        ];
        const replaced = order.reduce((sum, name) => sum + stack.replicas(name).length, 0);
        for (const name of order) await stack.rollingRestart(name);
        note(`${replaced} replicas replaced in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      },
    });
  });
});
