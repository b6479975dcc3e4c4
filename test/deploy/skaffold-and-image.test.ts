import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IService } from 'kubernetes-models/v1';
import { repoRoot, unpackHelm, type Helm } from './support/helm.ts';
import { find, parseManifests, validateAgainstKubernetesSchema } from './support/manifests.ts';

interface Artifact {
  image: string;
  docker: { dockerfile: string; buildArgs: Record<string, string> };
}
interface Release {
  name: string;
  chartPath?: string;
  remoteChart?: string;
  repo?: string;
  valuesFiles?: string[];
  setValueTemplates?: Record<string, string>;
  setValues?: Record<string, string | boolean>;
  wait?: boolean;
}
interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  build: { artifacts: Artifact[] };
  deploy: { helm: { releases: Release[] } };
  portForward: Array<{ resourceType: string; resourceName: string; port: number; localPort: number }>;
  profiles: Array<{
    name: string;
    activation: Array<{ kubeContext: string }>;
    patches: Array<{ op: string; path: string; value: Record<string, string | boolean> }>;
  }>;
}

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const skaffold = parse(read('skaffold.yaml')) as SkaffoldConfig;
const rootPackage = JSON.parse(read('package.json')) as {
  workspaces: string[];
  devDependencies: Record<string, string>;
};
/** Every runnable workspace: the services and the simulator, not the platform library or the console's static build. */
const runnable = rootPackage.workspaces.filter(
  (workspace) => workspace !== 'services/platform' && workspace !== 'services/console',
);
/** Skaffold's template name of an artifact: `/`, `-`, `.` and `:` become `_`. */
const templateName = (image: string) => image.replace(/[/\-.:]/g, '_');
const release = (name: string) => skaffold.deploy.helm.releases.find((candidate) => candidate.name === name)!;

let helm: Helm;
beforeAll(async () => {
  helm = await unpackHelm();
});
afterAll(async () => {
  await helm?.remove();
});

describe('skaffold.yaml', () => {
  it('when parsed, then it is a Skaffold v4 config', () => {
    expect(skaffold.apiVersion).toMatch(/^skaffold\/v4beta\d+$/);
    expect(skaffold.kind).toBe('Config');
  });

  it.each(runnable)('when the artifacts are read, then %s has an image built from the one Dockerfile', (workspace) => {
    const name = basename(workspace);
    const artifact = skaffold.build.artifacts.find((candidate) => candidate.docker.buildArgs.SERVICE === name);
    expect(artifact, `no artifact builds ${workspace}`).toBeTruthy();
    expect(artifact!.image).toBe(`ektola/${name}`);
    expect(artifact!.docker.dockerfile).toBe('Dockerfile');
    expect(artifact!.docker.buildArgs.WORKSPACE ?? `services/${name}`).toBe(workspace);
  });

  it('when the EkTola release is read, then every artifact sets its component image, and every key is a chart value', () => {
    const templates = release('ektola').setValueTemplates!;
    const values = parse(read('helm/ektola/values.yaml')) as Record<string, Record<string, unknown>>;
    for (const artifact of skaffold.build.artifacts) {
      const name = templateName(artifact.image);
      const keys = Object.entries(templates).filter(([, template]) => template.includes(`IMAGE_REPO_${name}}`));
      expect(keys, artifact.image).toHaveLength(1);
      const component = keys[0]![0].split('.')[0]!;
      expect(templates[`${component}.image.tag`]).toBe(`{{.IMAGE_TAG_${name}}}@{{.IMAGE_DIGEST_${name}}}`);
      expect(values[component]?.image, `${component}.image in values.yaml`).toMatchObject({ repository: '', tag: '' });
    }
  });

  it('when the releases are read, then NATS (official chart, JetStream on), PostgreSQL and EkTola install in that order', () => {
    expect(skaffold.deploy.helm.releases.map((candidate) => candidate.name)).toEqual(['nats', 'postgres', 'ektola']);
    for (const candidate of skaffold.deploy.helm.releases) expect(candidate.wait).toBe(true);
    const nats = release('nats');
    expect(nats).toMatchObject({ remoteChart: 'nats', repo: 'https://nats-io.github.io/k8s/helm/charts/' });
    const natsValues = parse(read(nats.valuesFiles![0]!)) as { config: { jetstream: { enabled: boolean } } };
    expect(natsValues.config.jetstream.enabled).toBe(true);
    for (const candidate of skaffold.deploy.helm.releases) {
      if (candidate.chartPath)
        expect(existsSync(join(repoRoot, candidate.chartPath, 'Chart.yaml')), candidate.chartPath).toBe(true);
      for (const file of candidate.valuesFiles ?? []) expect(existsSync(join(repoRoot, file)), file).toBe(true);
    }
  });

  it('when the development values are rendered, then the forwarded ports are Services of the release and it reaches the other releases', async () => {
    const objects = parseManifests(await helm.template(['-f', join(repoRoot, 'deploy/dev/ektola-values.yaml')]));
    expect(skaffold.portForward.map((forward) => forward.localPort)).toEqual([8080, 8081, 8090]);
    for (const forward of skaffold.portForward) {
      expect(forward.resourceType).toBe('service');
      const service = find<IService>(objects, 'Service', forward.resourceName);
      expect(service.spec!.ports!.map((port) => port.port)).toContain(forward.port);
    }
    const values = parse(read('deploy/dev/ektola-values.yaml')) as { database: { url: string }; nats: { url: string } };
    expect(new URL(values.database.url).hostname).toBe(release('postgres').name);
    expect(new URL(values.nats.url).hostname).toBe(release('nats').name);
  });

  it('when the development PostgreSQL chart is rendered, then its objects validate against the Kubernetes API schemas', async () => {
    const result = await helm.run(['template', 'postgres', join(repoRoot, 'deploy/dev/postgres')]);
    expect(result.code).toBe(0);
    const objects = parseManifests(result.stdout);
    expect(objects.map((object) => object.kind).sort()).toEqual(['Service', 'StatefulSet']);
    for (const object of objects) await validateAgainstKubernetesSchema(object);
  });

  it.each(['kind', 'minikube'])(
    'when the %s profile is applied, then it activates on its context and its values render',
    async (name) => {
      const profile = skaffold.profiles.find((candidate) => candidate.name === name);
      expect(profile).toBeTruthy();
      expect(profile!.activation[0]!.kubeContext).toMatch(name === 'kind' ? /^kind-/ : /^minikube$/);
      const [patch] = profile!.patches;
      const index = skaffold.deploy.helm.releases.indexOf(release('ektola'));
      expect(patch!.path).toBe(`/deploy/helm/releases/${index}/setValues`);
      const sets = Object.entries(patch!.value).flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]);
      const objects = parseManifests(
        await helm.template(['-f', join(repoRoot, 'deploy/dev/ektola-values.yaml'), ...sets]),
      );
      expect(find(objects, 'Ingress', 'ektola')).toBeTruthy();
    },
  );

  it('when the kind cluster config is read, then it names the cluster the kind profile activates on', () => {
    const cluster = parse(read('deploy/kind/cluster.yaml')) as { kind: string; apiVersion: string; name: string };
    expect(cluster).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    const kind = skaffold.profiles.find((candidate) => candidate.name === 'kind')!;
    expect(kind.activation[0]!.kubeContext).toBe(`kind-${cluster.name}`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'));

  it('when read, then its Node.js image has the major version the node devDependency pins', () => {
    const major = /(\d+)/.exec(rootPackage.devDependencies.node!)![1];
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${major}-[a-z]+-slim$`, 'm'));
    expect(
      instructions.filter((line) => line.startsWith('FROM')).every((line) => line.startsWith('FROM ${NODE_IMAGE}')),
    ).toBe(true);
  });

  it('when read, then it copies every workspace manifest so npm ci can check the lockfile, and installs production dependencies only', () => {
    for (const workspace of rootPackage.workspaces) {
      expect(instructions).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toMatch(/-w "\$\{WORKSPACE\}" -w services\/platform/);
  });

  it('when read, then the runtime copies proto/, runs as a numeric non-root user under tini and starts the service', () => {
    expect(instructions).toContain('COPY proto ./proto');
    expect(instructions).toContain('USER 1000:1000');
    expect(instructions).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(instructions.at(-1)).toBe('CMD ["node", "service/src/main.ts"]');
  });

  it('when read, then a stage builds the operator console and the runtime carries its dist/ where the campaign-service serves it from', () => {
    expect(instructions).toContain('FROM ${NODE_IMAGE} AS console');
    expect(instructions).toContain('RUN npm run console:build');
    expect(instructions).toContain('COPY --from=console /app/services/console/dist ./services/console/dist');
    expect(read('.dockerignore').split('\n')).toContain('services/console/dist');
  });

  it('when read, then the image runs Node with the V8 flags the local stack gives every service', async () => {
    const { serviceNodeOptions } = await import('../../deploy/local/stack.ts');
    expect(instructions).toContain(`ENV NODE_OPTIONS="${serviceNodeOptions.join(' ')}"`);
  });

  it('when read, then the image gives every service the environment the local stack gives it', async () => {
    const { serviceEnvironment } = await import('../../deploy/local/stack.ts');
    for (const [name, value] of Object.entries(serviceEnvironment))
      expect(instructions).toContain(`ENV ${name}=${value}`);
  });

  it("when read, then the image fills Node's compile cache, as root, for every set of flags the chart starts a service with", async () => {
    const { serviceCommandLineFlags } = await import('../../deploy/local/stack.ts');
    expect(instructions).toContain('ENV NODE_COMPILE_CACHE=/app/.compile-cache');
    const warming =
      /RUN for flags in ((?:"[^"]*" ?)+); do\s*\\\s*node \$flags services\/platform\/src\/warm-compile-cache\.ts service\/src\/main\.ts/.exec(
        dockerfile,
      );
    expect(warming).not.toBeNull();
    const warmedFlags = [...warming![1]!.matchAll(/"([^"]*)"/g)].map((quoted) => quoted[1]);
    const startedWith = new Set(['', ...Object.values(serviceCommandLineFlags).map((flags) => flags!.join(' '))]);
    expect(new Set(warmedFlags)).toEqual(startedWith);
    expect(dockerfile.indexOf('warm-compile-cache.ts')).toBeLessThan(dockerfile.indexOf('USER 1000:1000'));
  });

  it('when .dockerignore is read, then only manifests, the lockfile, proto/ and sources reach the build', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(rules[0]).toBe('*');
    for (const included of [
      '!package.json',
      '!package-lock.json',
      '!proto/**',
      '!services/**',
      '!test/whatsapp-simulator/**',
    ]) {
      expect(rules).toContain(included);
    }
    expect(rules).toContain('**/node_modules');
  });
});
