import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { ICronJob, IJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IPodSpec, ISecret, IService } from 'kubernetes-models/v1';
import { chartPath, repoRoot, unpackHelm, type Helm } from './support/helm.ts';
import { serviceCommandLineFlags } from '../../deploy/local/stack.ts';
import {
  find,
  ofKind,
  parseManifests,
  selects,
  validateAgainstKubernetesSchema,
  type K8sObject,
} from './support/manifests.ts';
import { alertRulesPath, dashboardsPath } from './support/promql.ts';

const productionValues = join(repoRoot, 'deploy/production/ektola-values.yaml');
const developmentValues = join(repoRoot, 'deploy/dev/ektola-values.yaml');

/** The credentials the schema requires outside developmentMode when the chart keeps them in its own Secret. */
const credentials = [
  '--set',
  'whatsapp.accessToken=meta-access-token',
  '--set',
  'whatsapp.appSecret=meta-app-secret',
  '--set',
  'whatsapp.verifyToken=meta-verify-token',
  '--set-string',
  'whatsapp.phoneNumberId=106540352242922',
  '--set',
  'adminApiKey=admin-key-0123456789abcdef',
  '--set',
  'grpcTokens.campaign=campaign-grpc-token-0123456789',
  '--set',
  'grpcTokens.dispatcher=dispatcher-grpc-token-0123456789',
  '--set',
  'grpcTokens.scheduler=scheduler-grpc-token-0123456789',
];

const gatewayArgs = [
  '-f',
  productionValues,
  '--set',
  'expose.type=gateway',
  '--set',
  'expose.gateway.parentRefs[0].name=public',
  '--set',
  'expose.gateway.parentRefs[0].namespace=gateway-system',
  '--set',
  'expose.gateway.parentRefs[0].sectionName=https',
];

/** The long-running services: component name, process, and the ports their Service must name. */
const services = [
  { component: 'campaign', process: 'campaign-service', ports: ['http', 'grpc'] },
  { component: 'dispatcher', process: 'dispatcher-service', ports: ['http', 'grpc'] },
  { component: 'webhook', process: 'webhook-service', ports: ['http'] },
  { component: 'callback', process: 'callback-service', ports: ['http', 'grpc'] },
] as const;

let helm: Helm;
const renders: Record<'defaults' | 'production' | 'development' | 'gateway', K8sObject[]> = {
  defaults: [],
  production: [],
  development: [],
  gateway: [],
};

beforeAll(async () => {
  helm = await unpackHelm();
  const [defaults, production, development, gateway] = await Promise.all([
    helm.template(credentials),
    helm.template(['-f', productionValues]),
    helm.template(['-f', developmentValues, '--set', 'networkPolicy.enabled=true']),
    helm.template(gatewayArgs),
  ]);
  renders.defaults = parseManifests(defaults);
  renders.production = parseManifests(production);
  renders.development = parseManifests(development);
  renders.gateway = parseManifests(gateway);
});

afterAll(async () => {
  await helm?.remove();
});

const podSpecOf = (object: K8sObject): IPodSpec => {
  if (object.kind === 'CronJob') return (object as unknown as ICronJob).spec!.jobTemplate.spec!.template.spec!;
  return (object as unknown as IDeployment | IJob).spec!.template.spec!;
};

const podLabelsOf = (object: K8sObject): Record<string, string> | undefined =>
  (object as unknown as IDeployment).spec?.template.metadata?.labels;

const workloads = (objects: K8sObject[]) =>
  objects.filter((object) => ['Deployment', 'Job', 'CronJob'].includes(object.kind));

describe('helm lint', () => {
  it.each([
    ['the default values and the required credentials', credentials],
    ['the production-like values', ['-f', productionValues]],
    ['the development values', ['-f', developmentValues]],
  ])('when the chart is linted with %s, then no chart fails', async (_name, args) => {
    const result = await helm.run(['lint', chartPath, ...args]);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('every rendered object', () => {
  it.each(['defaults', 'production', 'development', 'gateway'] as const)(
    'when rendered with the %s values, then every object validates against the Kubernetes API schemas',
    async (render) => {
      const objects = renders[render];
      expect(objects.length).toBeGreaterThan(10);
      for (const object of objects) {
        await validateAgainstKubernetesSchema(object);
        expect(
          object.metadata.labels?.['app.kubernetes.io/part-of'] ?? object.metadata.labels?.['app.kubernetes.io/name'],
        ).toBeTruthy();
      }
    },
  );

  it('when an object from a CRD is malformed, then its own schema rejects it', async () => {
    const rule = structuredClone(find(renders.production, 'PrometheusRule', 'ektola'));
    (rule as unknown as { spec: { groups: unknown } }).spec.groups = 'alerts';
    await expect(validateAgainstKubernetesSchema(rule)).rejects.toThrow(/groups/);
    const route = structuredClone(find(renders.gateway, 'HTTPRoute', 'ektola'));
    (
      route as unknown as { spec: { rules: Array<{ backendRefs: Array<{ port: unknown }> }> } }
    ).spec.rules[0]!.backendRefs[0]!.port = 'http';
    await expect(validateAgainstKubernetesSchema(route)).rejects.toThrow(/port/);
  });

  it('when a value has the wrong type, then validation against the API schema fails naming the field', async () => {
    const [deployment] = ofKind(renders.defaults, 'Deployment');
    const broken = structuredClone(deployment!) as unknown as IDeployment;
    (broken.spec!.template.spec!.containers[0]!.ports![0] as { containerPort: unknown }).containerPort = 'http';
    await expect(validateAgainstKubernetesSchema(broken as unknown as K8sObject)).rejects.toThrow(
      /containerPort must be integer/,
    );
  });
});

describe('values.schema.json', () => {
  it.each([
    [
      'an unknown concurrency policy',
      ['--set', 'scheduler.concurrencyPolicy=Sometimes'],
      /\/scheduler\/concurrencyPolicy/,
    ],
    ['a misspelt key', ['--set', 'campaign.replcas=2'], /replcas/],
    ['replicas as text', ['--set', 'webhook.replicas=two'], /\/webhook\/replicas/],
    ['a short admin key', ['--set', 'adminApiKey=short'], /\/adminApiKey/],
    ['an unknown exposure', ['--set', 'expose.type=nodeport'], /\/expose\/type/],
    ['a database URL of another scheme', ['--set', 'database.url=mysql://db/ektola'], /\/database\/url/],
    ['too many JetStream replicas', ['--set', 'nats.jetstreamReplicas=7'], /\/nats\/jetstreamReplicas/],
  ])('when given %s, then the install is refused with a message naming the value', async (_name, args, message) => {
    const result = await helm.run(['template', 'ektola', chartPath, ...credentials, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [
      'no database at all',
      ['--set', 'database.existingSecret.name='],
      /database\.url or database\.existingSecret\.name/,
    ],
    ['a Gateway route without a Gateway', ['--set', 'expose.type=gateway'], /expose\.gateway\.parentRefs/],
    [
      'dispatchers whose pools at their maximum exceed max_connections',
      ['--set', 'dispatcher.autoscaling.enabled=true', '--set', 'dispatcher.autoscaling.maxReplicas=8'],
      /could open 160 PostgreSQL connections \(campaign \(2\+1 replicas × 10\), dispatcher \(8\+2 replicas × 12\), plus 10 reserved\), more than database\.maxConnections \(100\)/,
    ],
    [
      'production values with the dispatcher pool back at 12',
      ['-f', productionValues, '--set', 'dispatcher.env.DATABASE_POOL_SIZE=12'],
      /could open 230 PostgreSQL connections .* more than database\.maxConnections \(200\)/,
    ],
  ])('when given %s, then rendering fails with a message saying what to set', async (_name, args, message) => {
    const result = await helm.run(['template', 'ektola', chartPath, ...credentials, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe('production credentials', () => {
  it('when a credential is missing outside developmentMode, then the install is refused naming each one', async () => {
    const result = await helm.run(['template', 'ektola', chartPath]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    for (const value of [
      'accessToken',
      'appSecret',
      'verifyToken',
      'phoneNumberId',
      'adminApiKey',
      'grpcTokens/campaign',
      'grpcTokens/dispatcher',
      'grpcTokens/scheduler',
    ]) {
      expect(result.stderr).toContain(`/${value}'`);
    }
  });

  it('when the credentials are in an existing Secret, then only the phone number id is still required as a value', async () => {
    const missing = await helm.run(['template', 'ektola', chartPath, '--set', 'existingSecret=ektola-credentials']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("/whatsapp/phoneNumberId'");
    expect(missing.stderr).not.toContain('/grpcTokens');
    const given = await helm.run([
      'template',
      'ektola',
      chartPath,
      '--set',
      'existingSecret=ektola-credentials',
      '--set-string',
      'whatsapp.phoneNumberId=106540352242922',
    ]);
    expect(given.code).toBe(0);
  });

  it('when developmentMode is on, then missing credentials are generated and the dispatcher is told it may run without Meta', async () => {
    const objects = parseManifests(await helm.template(['--set', 'developmentMode=true']));
    const secret = find<ISecret>(objects, 'Secret', 'ektola').data!;
    for (const key of [
      'EKTOLA_ADMIN_API_KEY',
      'GRPC_CAMPAIGN_TOKEN',
      'GRPC_DISPATCHER_TOKEN',
      'GRPC_SCHEDULER_TOKEN',
    ]) {
      expect(Buffer.from(secret[key]!, 'base64').toString(), key).toMatch(/^[A-Za-z0-9]{40}$/);
    }
    const envOf = (list: K8sObject[]) => podSpecOf(find(list, 'Deployment', 'ektola-dispatcher')).containers[0]!.env!;
    expect(envOf(objects).find((variable) => variable.name === 'EKTOLA_DEVELOPMENT_MODE')?.value).toBe('true');
    expect(envOf(renders.production).find((variable) => variable.name === 'EKTOLA_DEVELOPMENT_MODE')).toBeUndefined();
    expect(envOf(objects).find((variable) => variable.name === 'MARKETING_LIMIT_RETRY_DELAYS')?.value).toBe('6h,24h');
    expect(
      envOf(renders.production).find((variable) => variable.name === 'WHATSAPP_ACCESS_TOKEN')?.valueFrom?.secretKeyRef
        ?.optional,
    ).toBeUndefined();
  });

  it('when rendered, then each gRPC caller presents its own token and each server accepts exactly its callers', () => {
    const tokensOf = (kind: string, name: string) =>
      Object.fromEntries(
        podSpecOf(find(renders.defaults, kind, name))
          .containers[0]!.env!.filter((variable) => variable.name.startsWith('GRPC_') && variable.valueFrom)
          .map((variable) => [variable.name, variable.valueFrom!.secretKeyRef!.key]),
      );
    expect(tokensOf('Deployment', 'ektola-campaign')).toEqual({
      GRPC_TOKEN: 'GRPC_CAMPAIGN_TOKEN',
      GRPC_SCHEDULER_TOKEN: 'GRPC_SCHEDULER_TOKEN',
      GRPC_DISPATCHER_TOKEN: 'GRPC_DISPATCHER_TOKEN',
    });
    expect(tokensOf('Deployment', 'ektola-dispatcher')).toEqual({
      GRPC_TOKEN: 'GRPC_DISPATCHER_TOKEN',
      GRPC_CAMPAIGN_TOKEN: 'GRPC_CAMPAIGN_TOKEN',
    });
    expect(tokensOf('CronJob', 'ektola-scheduler')).toEqual({ GRPC_TOKEN: 'GRPC_SCHEDULER_TOKEN' });
    // The callback-service serves CallbackAdmin to the campaign-service and calls no one.
    expect(tokensOf('Deployment', 'ektola-callback')).toEqual({ GRPC_CAMPAIGN_TOKEN: 'GRPC_CAMPAIGN_TOKEN' });
    const secret = find<ISecret>(renders.defaults, 'Secret', 'ektola').data!;
    expect(Buffer.from(secret.GRPC_SCHEDULER_TOKEN!, 'base64').toString()).toBe('scheduler-grpc-token-0123456789');
  });

  it('when NATS users are on, then each service logs in as itself with its password from the NATS users Secret', () => {
    for (const { component, process } of services) {
      const env = podSpecOf(find(renders.production, 'Deployment', `ektola-${component}`)).containers[0]!.env!;
      expect(env.find((variable) => variable.name === 'NATS_USER')?.value).toBe(process);
      expect(env.find((variable) => variable.name === 'NATS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
        name: 'ektola-nats-users',
        key: process,
      });
    }
    const defaults = podSpecOf(find(renders.defaults, 'Deployment', 'ektola-webhook')).containers[0]!.env!;
    expect(defaults.map((variable) => variable.name)).not.toContain('NATS_USER');
  });
});

describe.each(services)('the $component Deployment', ({ component, process, ports }) => {
  const name = `ektola-${component}`;

  it('when rendered, then it probes /readyz for readiness and /healthz for liveness and start-up on the http port', () => {
    const container = podSpecOf(find(renders.defaults, 'Deployment', name)).containers[0]!;
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.ports?.map((port) => port.name)).toEqual([...ports]);
  });

  it('when rendered, then it runs its own main.ts from the image, which exists in the repository', () => {
    const container = podSpecOf(find(renders.defaults, 'Deployment', name)).containers[0]!;
    expect(container.image).toBe(`ghcr.io/ektola/${process}:0.1.0`);
    expect(container.args).toEqual([
      'node',
      ...(serviceCommandLineFlags[process] ?? []),
      `services/${process}/src/main.ts`,
    ]);
    expect(existsSync(join(repoRoot, `services/${process}/src/main.ts`))).toBe(true);
  });

  it('when rendered, then it has resources, a hardened security context and a writable /tmp only', () => {
    const spec = podSpecOf(find(renders.defaults, 'Deployment', name));
    expectHardened(spec, component === 'campaign' ? '192Mi' : '64Mi');
    const container = spec.containers[0]!;
    expect(container.resources?.requests?.cpu).toBeTruthy();
    expect(container.resources?.requests?.memory).toBeTruthy();
    expect(container.resources?.limits?.memory).toBeTruthy();
  });

  it('when rendered, then its pods spread over zones and nodes and a PodDisruptionBudget selects them', () => {
    const deployment = find<IDeployment>(renders.defaults, 'Deployment', name);
    const labels = deployment.spec!.template.metadata!.labels;
    const spread = deployment.spec!.template.spec!.topologySpreadConstraints ?? [];
    expect(spread.map((constraint) => constraint.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    for (const constraint of spread) expect(selects(constraint.labelSelector?.matchLabels, labels)).toBe(true);
    const budget = find<IPodDisruptionBudget>(renders.defaults, 'PodDisruptionBudget', name);
    expect(selects(budget.spec!.selector!.matchLabels, labels)).toBe(true);
    expect(budget.spec!.maxUnavailable).toBe(1);
  });

  it('when rendered, then its Service selects its pods and names every port after a container port', () => {
    const deployment = find<IDeployment>(renders.defaults, 'Deployment', name);
    const service = find<IService>(renders.defaults, 'Service', name);
    expect(selects(service.spec!.selector, deployment.spec!.template.metadata!.labels)).toBe(true);
    expect(service.spec!.ports!.map((port) => port.name)).toEqual([...ports]);
    const containerPorts = deployment.spec!.template.spec!.containers[0]!.ports!.map((port) => port.name);
    for (const port of service.spec!.ports!) expect(containerPorts).toContain(port.targetPort);
  });
});

describe('autoscaling', () => {
  it.each(['dispatcher', 'webhook'])(
    'when the %s autoscales, then its HorizontalPodAutoscaler targets the Deployment, which leaves replicas to it',
    (component) => {
      const autoscaler = find<IHorizontalPodAutoscaler>(
        renders.production,
        'HorizontalPodAutoscaler',
        `ektola-${component}`,
      );
      expect(autoscaler.spec!.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `ektola-${component}`,
      });
      expect(autoscaler.spec!.minReplicas).toBe(3);
      expect(find<IDeployment>(renders.production, 'Deployment', `ektola-${component}`).spec!.replicas).toBeUndefined();
    },
  );

  it('when autoscaling is off (the default), then there is no HorizontalPodAutoscaler and replicas are fixed', () => {
    expect(ofKind(renders.defaults, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(find<IDeployment>(renders.defaults, 'Deployment', 'ektola-dispatcher').spec!.replicas).toBe(2);
  });

  it('when KEDA scales the dispatcher, then a ScaledObject watches dispatcher-send and CPU, valid by its CRD, and no HorizontalPodAutoscaler of the chart competes', async () => {
    const objects = parseManifests(
      await helm.template(['-f', productionValues, '--set', 'dispatcher.keda.enabled=true']),
    );
    const scaled = find<K8sObject & { spec: Record<string, unknown> }>(objects, 'ScaledObject', 'ektola-dispatcher');
    await validateAgainstKubernetesSchema(scaled);
    expect(scaled.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ektola-dispatcher' },
      minReplicaCount: 3,
      maxReplicaCount: 12,
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: {
            natsServerMonitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
            account: '$G',
            stream: 'EKTOLA_DISPATCH',
            consumer: 'dispatcher-send',
            lagThreshold: '2000',
          },
        },
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '65' } },
      ],
    });
    expect(ofKind(objects, 'HorizontalPodAutoscaler').map((object) => object.metadata.name)).toEqual([
      'ektola-webhook',
    ]);
    expect(ofKind(renders.production, 'ScaledObject')).toEqual([]);
  });
});

describe('the scheduler CronJob', () => {
  it('when rendered, then it runs every minute, one pass at a time, with deadlines, retries and history limits', () => {
    const cronJob = find<ICronJob>(renders.defaults, 'CronJob', 'ektola-scheduler');
    expect(cronJob.spec).toMatchObject({
      schedule: '* * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 50,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cronJob.spec!.timeZone).toBeUndefined();
    expect(cronJob.spec!.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 120 });
    const spec = podSpecOf(cronJob as unknown as K8sObject);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.containers[0]!.args).toEqual(['node', 'services/scheduler-service/src/main.ts']);
    expectHardened(spec);
  });

  it('when a time zone is set, then the CronJob reads its schedule in it', () => {
    expect(find<ICronJob>(renders.production, 'CronJob', 'ektola-scheduler').spec!.timeZone).toBe('Asia/Kolkata');
  });
});

describe('migrations', () => {
  const jobs = (objects: K8sObject[]) => ofKind<IJob>(objects, 'Job');

  it('when rendered, then one hook Job per schema owner runs its migrate.ts before install and upgrade', () => {
    const rendered = jobs(renders.defaults);
    expect(rendered.map((job) => job.metadata!.name).sort()).toEqual([
      'ektola-migrate-callback',
      'ektola-migrate-campaign',
      'ektola-migrate-dispatcher',
    ]);
    for (const job of rendered) {
      expect(job.metadata!.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      });
      const spec = job.spec!.template.spec!;
      const process = job.metadata!.labels!['ektola.io/schema-owner']!;
      expect(spec.containers[0]!.args).toEqual(['node', `services/${process}/src/migrate.ts`]);
      expect(existsSync(join(repoRoot, `services/${process}/src/migrate.ts`))).toBe(true);
      expect(spec.containers[0]!.image).toBe(`ghcr.io/ektola/${process}:0.1.0`);
      expect(spec.restartPolicy).toBe('Never');
      expect(job.spec!.backoffLimit).toBe(3);
      expect(job.spec!.activeDeadlineSeconds).toBe(600);
      // The release's ServiceAccount is created after pre-install hooks run.
      expect(spec.serviceAccountName).toBe('default');
      expectHardened(spec);
    }
  });

  it('when the database URL is a value, then the Jobs read it from a hook Secret created before them', () => {
    const secret = find<ISecret>(renders.development, 'Secret', 'ektola-migrations');
    expect(Number(secret.metadata!.annotations!['helm.sh/hook-weight'])).toBeLessThan(0);
    expect(secret.metadata!.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Buffer.from(secret.data!.DATABASE_URL!, 'base64').toString()).toBe(
      'postgres://postgres@postgres:5432/ektola',
    );
    for (const job of jobs(renders.development)) {
      const weight = Number(job.metadata!.annotations!['helm.sh/hook-weight']);
      expect(weight).toBeGreaterThan(Number(secret.metadata!.annotations!['helm.sh/hook-weight']));
      const env = job.spec!.template.spec!.containers[0]!.env!.find((variable) => variable.name === 'DATABASE_URL');
      expect(env?.valueFrom?.secretKeyRef).toEqual({ name: 'ektola-migrations', key: 'DATABASE_URL' });
    }
  });

  it('when the database URL is in an existing Secret (CloudNativePG), then the Jobs read it from there', () => {
    for (const job of jobs(renders.production)) {
      const env = job.spec!.template.spec!.containers[0]!.env!.find((variable) => variable.name === 'DATABASE_URL');
      expect(env?.valueFrom?.secretKeyRef).toEqual({ name: 'ektola-db-app', key: 'uri' });
    }
    expect(renders.production.some((object) => object.kind === 'Secret')).toBe(false);
  });
});

describe('configuration and secrets', () => {
  it.each(['defaults', 'production', 'development'] as const)(
    'when rendered with the %s values, then every referenced ConfigMap and Secret key is rendered or an existing Secret',
    (render) => {
      const objects = renders[render];
      const external = new Set(['ektola-credentials', 'ektola-db-app', 'ektola-nats-users']);
      for (const workload of workloads(objects)) {
        for (const container of podSpecOf(workload).containers) {
          for (const source of container.envFrom ?? []) {
            expect(find<IConfigMap>(objects, 'ConfigMap', source.configMapRef!.name!)).toBeTruthy();
          }
          for (const variable of container.env ?? []) {
            const ref = variable.valueFrom?.secretKeyRef;
            if (!ref) continue;
            if (external.has(ref.name!) && render !== 'development') continue;
            const secret = find<ISecret>(objects, 'Secret', ref.name!);
            if (!ref.optional)
              expect(Object.keys(secret.data ?? {}), `${workload.metadata.name} needs ${ref.key}`).toContain(ref.key);
          }
        }
      }
    },
  );

  it('when rendered, then each service gets only the secrets its work needs', () => {
    const secretsOf = (name: string) =>
      podSpecOf(find(renders.defaults, 'Deployment', name))
        .containers[0]!.env!.filter((variable) => variable.valueFrom?.secretKeyRef)
        .map((variable) => variable.name)
        .sort();
    expect(secretsOf('ektola-campaign')).toEqual([
      'DATABASE_URL',
      'EKTOLA_ADMIN_API_KEY',
      'GRPC_DISPATCHER_TOKEN',
      'GRPC_SCHEDULER_TOKEN',
      'GRPC_TOKEN',
      'WHATSAPP_ACCESS_TOKEN',
    ]);
    expect(secretsOf('ektola-dispatcher')).toEqual([
      'DATABASE_URL',
      'GRPC_CAMPAIGN_TOKEN',
      'GRPC_TOKEN',
      'WHATSAPP_ACCESS_TOKEN',
    ]);
    expect(secretsOf('ektola-webhook')).toEqual(['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']);
  });

  it('when rendered, then the ConfigMap carries the shared settings and the gRPC addresses of the Services', () => {
    const config = find<IConfigMap>(renders.production, 'ConfigMap', 'ektola').data!;
    expect(config).toMatchObject({
      EKTOLA_NAMESPACE: 'ektola',
      JETSTREAM_REPLICAS: '3',
      NATS_URL: 'nats://nats.nats.svc.cluster.local:4222',
      CAMPAIGN_GRPC_ADDRESS: 'ektola-campaign:50051',
      DISPATCHER_GRPC_ADDRESS: 'ektola-dispatcher:50052',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      DEFAULT_COUNTRY: 'IN',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
    });
    expect(config.WHATSAPP_API_BASE_URL).toBeUndefined();
    expect(find<IConfigMap>(renders.defaults, 'ConfigMap', 'ektola').data!.OTEL_TRACES_SAMPLER).toBeUndefined();
    const development = find<IConfigMap>(renders.development, 'ConfigMap', 'ektola').data!;
    expect(development.WHATSAPP_API_BASE_URL).toBe('http://ektola-whatsapp-simulator:8090/v23.0');
  });

  it('when credentials are given, then the Secret holds them verbatim', () => {
    const given = find<ISecret>(renders.development, 'Secret', 'ektola').data!;
    expect(Buffer.from(given.WHATSAPP_APP_SECRET!, 'base64').toString()).toBe('dev-app-secret');
  });
});

/** The operator console's paths on the public host: its page, assets and client routes, never "/" as a prefix. */
const consolePaths = [
  ['/', 'Exact'],
  ['/favicon.svg', 'Exact'],
  ['/assets', 'Prefix'],
  ...['/campaigns', '/runs', '/contacts', '/templates', '/settings'].map((path) => [path, 'Prefix']),
];

describe('exposure', () => {
  it('when the Ingress is chosen, then it serves the REST API, the console and the webhook on one TLS host, and neither /docs nor the ops routes', () => {
    const ingress = find<IIngress>(renders.production, 'Ingress', 'ektola');
    expect(ingress.spec!.ingressClassName).toBe('nginx');
    expect(ingress.spec!.tls).toEqual([{ hosts: ['ektola.example.com'], secretName: 'ektola-tls' }]);
    const paths = ingress.spec!.rules![0]!.http!.paths.map((path) => [
      path.path,
      path.pathType,
      path.backend.service!.name,
      path.backend.service!.port!.name,
    ]);
    expect(paths).toEqual([
      ['/webhooks/whatsapp', 'Exact', 'ektola-webhook', 'http'],
      ['/v1', 'Prefix', 'ektola-campaign', 'http'],
      ...consolePaths.map(([path, type]) => [path, type, 'ektola-campaign', 'http']),
    ]);
    const routed = paths.map(([path]) => path!);
    for (const internal of ['/metrics', '/readyz', '/healthz', '/docs'])
      expect(
        routed.some((path) => internal.startsWith(path) && path !== '/'),
        internal,
      ).toBe(false);
    for (const [, , service, port] of paths) {
      expect(find<IService>(renders.production, 'Service', service!).spec!.ports!.map((p) => p.name)).toContain(port);
    }
  });

  it('when the Gateway API is chosen, then an HTTPRoute attaches to the Gateway and routes to the Services ports', () => {
    expect(ofKind(renders.gateway, 'Ingress')).toEqual([]);
    const route = find(renders.gateway, 'HTTPRoute', 'ektola') as unknown as {
      spec: {
        parentRefs: unknown[];
        hostnames: string[];
        rules: Array<{
          matches: Array<{ path: { type: string; value: string } }>;
          backendRefs: Array<{ name: string; port: number }>;
        }>;
      };
    };
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['ektola.example.com']);
    const routes = route.spec.rules.flatMap((rule) =>
      rule.matches.map((match) => [
        match.path.type,
        match.path.value,
        rule.backendRefs[0]!.name,
        rule.backendRefs[0]!.port,
      ]),
    );
    expect(routes).toEqual([
      ['Exact', '/webhooks/whatsapp', 'ektola-webhook', 8081],
      ['PathPrefix', '/v1', 'ektola-campaign', 8080],
      ...consolePaths.map(([path, type]) => [type === 'Exact' ? 'Exact' : 'PathPrefix', path, 'ektola-campaign', 8080]),
    ]);
    for (const [, , service, port] of routes) {
      expect(find<IService>(renders.gateway, 'Service', service as string).spec!.ports!.map((p) => p.port)).toContain(
        port,
      );
    }
  });

  it('when expose.docs is set, then /docs is published beside /v1 on the Ingress and the route', async () => {
    const ingress = find<IIngress>(
      parseManifests(await helm.template(['-f', productionValues, '--set', 'expose.docs=true'])),
      'Ingress',
      'ektola',
    );
    expect(ingress.spec!.rules![0]!.http!.paths.map((path) => path.path)).toEqual([
      '/webhooks/whatsapp',
      '/v1',
      '/docs',
      ...consolePaths.map(([path]) => path),
    ]);
    const route = find(
      parseManifests(await helm.template([...gatewayArgs, '--set', 'expose.docs=true'])),
      'HTTPRoute',
      'ektola',
    ) as unknown as {
      spec: { rules: Array<{ matches: Array<{ path: { value: string } }> }> };
    };
    expect(route.spec.rules.flatMap((rule) => rule.matches.map((match) => match.path.value))).toEqual([
      '/webhooks/whatsapp',
      '/v1',
      '/docs',
      ...consolePaths.map(([path]) => path),
    ]);
  });

  it('when expose.console is off, then only the API and the webhook are routed', async () => {
    const ingress = find<IIngress>(
      parseManifests(await helm.template(['-f', productionValues, '--set', 'expose.console=false'])),
      'Ingress',
      'ektola',
    );
    expect(ingress.spec!.rules![0]!.http!.paths.map((path) => path.path)).toEqual(['/webhooks/whatsapp', '/v1']);
  });

  it('when nothing is chosen (the default), then neither an Ingress nor a route is rendered', () => {
    expect(renders.defaults.filter((object) => ['Ingress', 'HTTPRoute'].includes(object.kind))).toEqual([]);
  });
});

describe('network policies', () => {
  const policy = (name: string) => find<INetworkPolicy>(renders.production, 'NetworkPolicy', `ektola-${name}`);
  const reachesInternet = (name: string) =>
    (policy(name).spec!.egress ?? []).some((rule) => rule.to?.some((peer) => peer.ipBlock?.cidr === '0.0.0.0/0'));

  it('when nothing is set (the default), then policies are on and every service that uses NATS or PostgreSQL may reach only their ports', () => {
    const egressPorts = (name: string) =>
      (find<INetworkPolicy>(renders.defaults, 'NetworkPolicy', `ektola-${name}`).spec!.egress ?? []).flatMap((rule) =>
        (rule.ports ?? []).map((port) => port.port),
      );
    expect(egressPorts('campaign')).toEqual(expect.arrayContaining([4222, 5432]));
    expect(egressPorts('dispatcher')).toEqual(expect.arrayContaining([4222, 5432]));
    expect(egressPorts('webhook')).toContain(4222);
    expect(egressPorts('webhook')).not.toContain(5432);
    expect(egressPorts('migrations')).toContain(5432);
    expect(egressPorts('migrations')).not.toContain(4222);
  });

  it('when enabled, then every EkTola pod is covered by a policy for both directions', () => {
    for (const workload of workloads(renders.production)) {
      const labels =
        workload.kind === 'CronJob'
          ? (workload as unknown as ICronJob).spec!.jobTemplate.spec!.template.metadata!.labels
          : podLabelsOf(workload);
      const covering = ofKind<INetworkPolicy>(renders.production, 'NetworkPolicy').filter((candidate) =>
        selects(candidate.spec!.podSelector?.matchLabels, labels),
      );
      expect(covering, workload.metadata.name).toHaveLength(1);
      expect(covering[0]!.spec!.policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  it('when enabled, then only the dispatcher and (for template sync) the campaign-service reach the internet', () => {
    expect(reachesInternet('dispatcher')).toBe(true);
    expect(reachesInternet('campaign')).toBe(true);
    expect(reachesInternet('webhook')).toBe(false);
    expect(reachesInternet('scheduler')).toBe(false);
    expect(reachesInternet('migrations')).toBe(false);
  });

  it('when enabled, then the public ports admit only the ingress controller and Prometheus, and gRPC only the peers', () => {
    const webhook = policy('webhook').spec!.ingress!;
    expect(webhook.map((rule) => rule.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    ]);
    const grpc = policy('campaign').spec!.ingress!.find((rule) => rule.ports?.[0]?.port === 50051)!;
    expect(grpc.from!.map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'])).toEqual([
      'dispatcher',
      'scheduler',
    ]);
    expect(policy('scheduler').spec!.ingress).toEqual([]);
  });

  it('when the simulator runs (development), then it may call the webhook and the services may call it', () => {
    const policies = ofKind<INetworkPolicy>(renders.development, 'NetworkPolicy');
    const webhook = policies.find((candidate) => candidate.metadata!.name === 'ektola-webhook')!;
    const fromSimulator = webhook.spec!.ingress!.some((rule) =>
      rule.from?.some(
        (peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'whatsapp-simulator',
      ),
    );
    expect(fromSimulator).toBe(true);
    const dispatcher = policies.find((candidate) => candidate.metadata!.name === 'ektola-dispatcher')!;
    expect(dispatcher.spec!.egress!.some((rule) => rule.ports?.[0]?.port === 8090)).toBe(true);
  });
});

describe('monitoring objects', () => {
  it('when the ServiceMonitor is on, then it scrapes /metrics on the http port of exactly the four Services', () => {
    const monitor = find(renders.production, 'ServiceMonitor', 'ektola') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        selector: { matchLabels: Record<string, string>; matchExpressions: Array<{ key: string; values: string[] }> };
        endpoints: Array<{ port: string; path: string }>;
      };
    };
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(monitor.spec.endpoints).toMatchObject([{ port: 'http', path: '/metrics' }]);
    const selected = ofKind<IService>(renders.production, 'Service').filter((service) => {
      const labels = service.metadata!.labels!;
      return (
        selects(monitor.spec.selector.matchLabels, labels) &&
        monitor.spec.selector.matchExpressions.every((expression) =>
          expression.values.includes(labels[expression.key]!),
        )
      );
    });
    expect(selected.map((service) => service.metadata!.name).sort()).toEqual([
      'ektola-callback',
      'ektola-campaign',
      'ektola-dispatcher',
      'ektola-webhook',
    ]);
  });

  it('when the PrometheusRule is on, then it carries exactly the promtool-tested alert rules of deploy/prometheus', () => {
    const rule = find(renders.production, 'PrometheusRule', 'ektola') as unknown as { spec: unknown };
    expect(rule.spec).toEqual(parse(readFileSync(alertRulesPath, 'utf8')));
  });

  it('when dashboards are on, then each deploy/grafana dashboard is a ConfigMap the Grafana sidecar picks up', () => {
    const maps = ofKind<IConfigMap>(renders.production, 'ConfigMap').filter(
      (map) => map.metadata!.labels?.grafana_dashboard === '1',
    );
    expect(maps.map((map) => Object.keys(map.data!)[0]).sort()).toEqual([
      'ektola-pipeline.json',
      'ektola-sending.json',
    ]);
    for (const map of maps) {
      expect(map.metadata!.namespace).toBe('monitoring');
      const [file, content] = Object.entries(map.data!)[0]!;
      expect(JSON.parse(content)).toEqual(JSON.parse(readFileSync(join(dashboardsPath, file), 'utf8')));
    }
  });

  it('when they are off (the default), then no prometheus-operator object or dashboard is rendered', () => {
    const kinds = renders.defaults.map((object) => object.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
    expect(ofKind<IConfigMap>(renders.defaults, 'ConfigMap').map((map) => map.metadata!.name)).toEqual(['ektola']);
  });
});

/**
 * Non-root, no privilege escalation, read-only root, all capabilities dropped, /tmp as the one writable
 * path (the campaign-service's larger: contact uploads are written there while they arrive).
 */
function expectHardened(spec: IPodSpec, tmpSizeLimit = '64Mi'): void {
  expect(spec.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(spec.automountServiceAccountToken).toBe(false);
  for (const container of spec.containers as IContainer[]) {
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  }
  expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: tmpSizeLimit } }]);
}

describe('the chart README', () => {
  /** Values documented as a whole (maps of names, Kubernetes objects) rather than key by key. */
  const wholeValues = new Set([
    'resources',
    'podSecurityContext',
    'securityContext',
    'readinessProbe',
    'livenessProbe',
    'startupProbe',
    'env',
    'extraEnv',
    'labels',
    'annotations',
    'podAnnotations',
    'podLabels',
    'nodeSelector',
    'affinity',
    'commonLabels',
  ]);
  const components = ['campaign', 'dispatcher', 'webhook', 'callback', 'scheduler', 'simulator'];

  function keysOf(values: Record<string, unknown>, prefix = ''): string[] {
    return Object.entries(values).flatMap(([key, value]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      const nested =
        value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
      return nested && !wholeValues.has(key) ? keysOf(value as Record<string, unknown>, path) : [path];
    });
  }

  it('when it is read, then it documents every value of values.yaml', () => {
    const readme = readFileSync(join(chartPath, 'README.md'), 'utf8');
    const values = parse(readFileSync(join(chartPath, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const keys = keysOf(values);
    expect(keys.length).toBeGreaterThan(100);
    const undocumented = keys.filter((key) => {
      const [first, ...rest] = key.split('.');
      const generic = components.includes(first!) ? `\`<component>.${rest.join('.')}\`` : undefined;
      return !readme.includes(`\`${key}\``) && !(generic && readme.includes(generic));
    });
    expect(undocumented).toEqual([]);
  });
});
