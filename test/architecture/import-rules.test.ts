import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importViolations, specifiersOf, type ImportRule } from './import-rules.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const rulesBroken = (file: string, ...specifiers: string[]) =>
  importViolations(file, specifiers).map((violation) => violation.rule);

describe('reading import specifiers', () => {
  it('when a file imports over several lines, with types, re-exports and dynamic imports, then every specifier is read', () => {
    const source = [
      "import { readFileSync } from 'node:fs';",
      'import type {',
      '  CampaignStore,',
      '  CampaignFields,',
      "} from '../../adapters/postgres-campaign-store.ts';",
      "import './side-effect.ts';",
      'import * as domain from "../domain/model.ts";',
      "export * from './catalog.ts';",
      "export type { Outcome } from '@ektola/platform/nats';",
      'export {',
      '  a,',
      "} from './a.ts';",
      "const lazy = await import('../adapters/lazy.ts');",
      "type Address = import('node:net').AddressInfo;",
    ].join('\n');
    expect(specifiersOf(source)).toEqual([
      'node:fs',
      '../../adapters/postgres-campaign-store.ts',
      './side-effect.ts',
      '../domain/model.ts',
      './catalog.ts',
      '@ektola/platform/nats',
      './a.ts',
      '../adapters/lazy.ts',
      'node:net',
    ]);
  });

  it('when strings, comments and exports only look like imports, then nothing is read from them', () => {
    const source = [
      "export const subject = 'ektola.run.requested.v1';",
      "export const message = `import x from './not-an-import.ts'`;",
      "// import { old } from '../adapters/gone.ts';",
      ' * import { example } from "../adapters/doc-example.ts";',
      'export interface Range { from: string; to: string }',
      "export const window = { from: 'a', to: 'b' };",
      "const copy = Array.from('abc');",
      'export { a, b };',
    ].join('\n');
    expect(specifiersOf(source)).toEqual([]);
  });
});

describe('the import rules', () => {
  it('when a transport file imports an adapter, even for a type, then transport-imports-adapter is broken', () => {
    expect(
      rulesBroken(
        'services/campaign-service/src/transport/http/campaign-routes.ts',
        '../../adapters/postgres-campaign-store.ts',
      ),
    ).toEqual(['transport-imports-adapter']);
    expect(
      rulesBroken(
        'services/dispatcher-service/src/transport/status-consumer.ts',
        '../adapters/postgres-status-store.ts',
      ),
    ).toEqual(['transport-imports-adapter']);
  });

  it('when a domain file imports an adapter, transport or the composition root, then domain-imports-outer-layer is broken', () => {
    const file = 'services/dispatcher-service/src/domain/batch-sender.ts';
    expect(
      rulesBroken(
        file,
        '../adapters/postgres-send-store.ts',
        '../transport/send-consumer.ts',
        '../app.ts',
        '../config.ts',
      ),
    ).toEqual([
      'domain-imports-outer-layer',
      'domain-imports-outer-layer',
      'domain-imports-outer-layer',
      'domain-imports-outer-layer',
    ]);
  });

  it.each([
    'postgres',
    '@nats-io/jetstream',
    '@nats-io/transport-node',
    '@grpc/grpc-js',
    'fastify',
    '@fastify/multipart',
    'fastify-type-provider-zod',
    'undici',
    'node:http',
    '@ektola/platform/nats',
    '@ektola/platform/postgres',
    '@ektola/platform/grpc',
    '@ektola/platform/http',
  ])('when a domain file imports %s, then domain-imports-infrastructure is broken', (specifier) => {
    expect(rulesBroken('services/campaign-service/src/domain/activate-campaign.ts', specifier)).toEqual([
      'domain-imports-infrastructure',
    ]);
  });

  it("when a service imports another service's files or package, or the simulator, then service-imports-another-package is broken", () => {
    const file = 'services/dispatcher-service/src/adapters/grpc-campaign-query.ts';
    expect(
      rulesBroken(
        file,
        '../../../campaign-service/src/domain/model.ts',
        '@ektola/campaign-service',
        '@ektola/webhook-service/src/app.ts',
        '@ektola/whatsapp-simulator',
        '../../../../test/whatsapp-simulator/src/simulator.ts',
        '../../../platform/src/errors.ts',
      ),
    ).toEqual(Array(6).fill('service-imports-another-package'));
  });

  it('when the platform imports a service, by package or by path, then platform-imports-a-service is broken', () => {
    const file = 'services/platform/src/testing/mod.ts';
    expect(rulesBroken(file, '@ektola/dispatcher-service', '../../../campaign-service/src/app.ts')).toEqual([
      'platform-imports-a-service',
      'platform-imports-a-service',
    ]);
  });

  it('when a source file reads like a wrong one, then the reader and the rules together name the file, the specifier and the rule', () => {
    const source = [
      'import type {',
      '  RunStore,',
      "} from '../../adapters/postgres-run-store.ts';",
      "import { cancelRun } from '../../domain/cancel-run.ts';",
    ].join('\n');
    const file = 'services/campaign-service/src/transport/http/run-routes.ts';
    expect(importViolations(file, specifiersOf(source))).toEqual([
      {
        rule: 'transport-imports-adapter',
        file,
        specifier: '../../adapters/postgres-run-store.ts',
        why: expect.stringContaining('never an adapter'),
      },
    ]);
  });

  it('when each layer imports what the rules allow, then nothing is broken', () => {
    expect(
      rulesBroken(
        'services/campaign-service/src/transport/http/campaign-routes.ts',
        '../../domain/ports.ts',
        '../../domain/activate-campaign.ts',
        './schemas.ts',
        '@ektola/platform/http',
        'fastify',
      ),
    ).toEqual([]);
    expect(
      rulesBroken(
        'services/dispatcher-service/src/transport/send-consumer.ts',
        '../domain/batch-sender.ts',
        './dispatcher-metrics.ts',
        '@ektola/platform/nats',
        '@nats-io/jetstream',
      ),
    ).toEqual([]);
    expect(
      rulesBroken(
        'services/dispatcher-service/src/adapters/postgres-send-store.ts',
        '../domain/ports.ts',
        '@ektola/platform/postgres',
        'postgres',
      ),
    ).toEqual([]);
    expect(
      rulesBroken(
        'services/dispatcher-service/src/app.ts',
        './adapters/postgres-send-store.ts',
        './transport/send-consumer.ts',
        './domain/batch-sender.ts',
      ),
    ).toEqual([]);
    expect(
      rulesBroken(
        'services/dispatcher-service/src/domain/batch-sender.ts',
        './ports.ts',
        '@ektola/platform/errors',
        '@ektola/platform/events',
        'zod',
        'node:crypto',
      ),
    ).toEqual([]);
    expect(
      rulesBroken('services/platform/src/nats/consumer.ts', '../errors.ts', './connection.ts', '@nats-io/jetstream'),
    ).toEqual([]);
  });

  it('when a file lies outside services/<package>/src, then it is refused rather than judged', () => {
    expect(() => importViolations('test/e2e/support.ts', ['../../services/campaign-service/src/app.ts'])).toThrow(
      /not a source file/,
    );
  });
});

describe('the tree', () => {
  const files = globSync('services/*/src/**/*.ts', { cwd: repoRoot })
    .filter((file) => !file.split('/').includes('generated'))
    .sort();
  const violations = files.flatMap((file) =>
    importViolations(file, specifiersOf(readFileSync(`${repoRoot}${file}`, 'utf8'))),
  );
  const broken = (rule: ImportRule) =>
    violations.filter((violation) => violation.rule === rule).map(({ file, specifier }) => `${file} → ${specifier}`);

  it('when the sources are gathered, then every package and layer is read and the imports are found', () => {
    for (const folder of [
      'services/platform/src/',
      'services/campaign-service/src/domain/',
      'services/dispatcher-service/src/adapters/',
      'services/webhook-service/src/transport/',
      'services/scheduler-service/src/domain/',
    ]) {
      expect(
        files.some((file) => file.startsWith(folder)),
        folder,
      ).toBe(true);
    }
    expect(files.some((file) => file.includes('/generated/'))).toBe(false);
    expect(specifiersOf(readFileSync(`${repoRoot}services/dispatcher-service/src/app.ts`, 'utf8'))).toContain(
      './adapters/postgres-send-store.ts',
    );
  });

  it.each<ImportRule>([
    'transport-imports-adapter',
    'domain-imports-outer-layer',
    'domain-imports-infrastructure',
    'service-imports-another-package',
    'platform-imports-a-service',
  ])('when every source file is read, then none breaks %s', (rule) => {
    expect(broken(rule)).toEqual([]);
  });
});
