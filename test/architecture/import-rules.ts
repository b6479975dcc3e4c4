import { posix } from 'node:path';

/**
 * The import rules of docs/architecture.md, as pure functions over file paths and import specifiers,
 * so a test can show each rule refusing a wrong import without a wrong file in the tree.
 */

export type ImportRule =
  | 'transport-imports-adapter'
  | 'domain-imports-outer-layer'
  | 'domain-imports-infrastructure'
  | 'service-imports-another-package'
  | 'platform-imports-a-service';

export interface ImportViolation {
  rule: ImportRule;
  file: string;
  specifier: string;
  why: string;
}

/** A file of a workspace package under `services/`: the package's folder name and the `src/` folder it sits in. */
interface Location {
  packageName: string;
  /** `domain`, `adapters`, `transport`, … or `root` for `src/app.ts`, `src/main.ts` and their neighbours; undefined outside `src/`. */
  layer: string | undefined;
}

const platform = 'platform';

function locate(path: string): Location | undefined {
  const [top, packageName, folder, ...rest] = path.split('/');
  if (top !== 'services' || !packageName) return undefined;
  if (folder !== 'src') return { packageName, layer: undefined };
  return { packageName, layer: rest.length > 1 ? rest[0] : 'root' };
}

/**
 * Libraries that speak NATS, SQL, gRPC or HTTP, and the platform's modules built on them: the domain
 * states what it needs as ports and lets adapters and transport bring these in.
 */
const infrastructure = [
  /^(@nats-io|@grpc|@fastify)\//,
  /^(nats|postgres|pg|undici|fastify|fastify-[\w-]+|node:http|node:https|node:http2|http|https|http2)(\/|$)/,
  /^@ektola\/platform\/(nats|postgres|grpc|http|request-logger|ops|runtime|migrate-command)$/,
];

const workspacePackage = /^@ektola\/([^/]+)/;

// Statements that start a line: `import … from '…'`, `import '…'`, `export … from '…'`, over several lines
// when the names are listed one a line. A quote, backtick or semicolon before `from` means it is no import.
const staticImport = /^[ \t]*(?:import|export)\b(?:[^'"`;]*?\bfrom)?\s*['"]([^'"\n]+)['"]/gm;
// `import('…')`, both the dynamic import and the type `import('…').Name`.
const dynamicImport = /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The module specifiers a TypeScript source imports or re-exports, each once, in the order first seen. */
export function specifiersOf(source: string): string[] {
  const found = [...source.matchAll(staticImport), ...source.matchAll(dynamicImport)].sort((a, b) => a.index - b.index);
  return [...new Set(found.map((match) => match[1]!))];
}

/** What breaks the rules among the imports of one file, named by its path from the repository root (`services/…/src/…`). */
export function importViolations(file: string, specifiers: readonly string[]): ImportViolation[] {
  const importer = locate(file);
  if (!importer?.layer) throw new Error(`${file} is not a source file of a package under services/<package>/src`);
  return specifiers.flatMap((specifier) =>
    judge(file, importer, specifier).map(({ rule, why }) => ({ rule, file, specifier, why })),
  );
}

function judge(file: string, importer: Location, specifier: string): Array<{ rule: ImportRule; why: string }> {
  const isPlatform = importer.packageName === platform;
  const outsider = (what: string) =>
    isPlatform
      ? {
          rule: 'platform-imports-a-service' as const,
          why: `the platform imports ${what}; services build on the platform, never the other way round`,
        }
      : {
          rule: 'service-imports-another-package' as const,
          why: `${importer.packageName} imports ${what}; a service imports its own files, @ektola/platform and libraries`,
        };

  if (specifier.startsWith('.')) {
    const target = posix.join(posix.dirname(file), specifier);
    const at = locate(target);
    if (at?.packageName !== importer.packageName) return [outsider(`${target}, outside its own package`)];
    const violations: Array<{ rule: ImportRule; why: string }> = [];
    if (importer.layer === 'transport' && at.layer === 'adapters') {
      violations.push({
        rule: 'transport-imports-adapter',
        why: 'transport imports the domain (its ports) and the platform, never an adapter; app.ts hands it the adapter',
      });
    }
    if (importer.layer === 'domain' && at.layer !== 'domain') {
      violations.push({
        rule: 'domain-imports-outer-layer',
        why: `the domain imports ${target}; it imports only the domain, the platform and libraries`,
      });
    }
    return violations;
  }

  const workspace = workspacePackage.exec(specifier)?.[1];
  if (workspace !== undefined && workspace !== platform) return [outsider(`the workspace package ${specifier}`)];
  if (importer.layer === 'domain' && infrastructure.some((pattern) => pattern.test(specifier))) {
    return [
      {
        rule: 'domain-imports-infrastructure',
        why: `the domain imports ${specifier}; NATS, SQL, gRPC and HTTP belong to adapters and transport behind ports`,
      },
    ];
  }
  return [];
}
