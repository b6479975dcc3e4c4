import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const warmCommand = fileURLToPath(new URL('../src/warm-compile-cache.ts', import.meta.url));

/** Runs `node` on the arguments with the cache directory (if any) and nothing else in its environment. */
const node = (args: string[], cache?: string) =>
  spawnSync(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...(cache ? { NODE_COMPILE_CACHE: cache } : {}) },
    encoding: 'utf8',
  });

describe('warm-compile-cache', () => {
  let dir: string;
  let entry: string;
  let ranMarker: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ektola-warm-'));
    entry = join(dir, 'entry.ts');
    ranMarker = join(dir, 'entry-ran');
    writeFileSync(join(dir, 'dependency.ts'), `export const greeting: string = 'hello';\n`);
    // The entry records that it ran, and says whether this process loaded the TypeScript transpiler.
    writeFileSync(
      entry,
      [
        `import { writeFileSync } from 'node:fs';`,
        `import { greeting } from './dependency.ts';`,
        `const ran: string = ${JSON.stringify(ranMarker)};`,
        `writeFileSync(ran, greeting);`,
        `console.log(JSON.stringify({ transpilerLoaded: process.moduleLoadList.some((name) => name.includes('amaro')) }));`,
      ].join('\n'),
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (cache: string) => {
    const result = node([entry], cache);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { transpilerLoaded: boolean };
  };

  it('when an entry point is warmed, then none of it runs, and a later start loads no TypeScript transpiler', () => {
    const cache = join(dir, 'cache');
    const warm = node([warmCommand, entry], cache);

    expect(warm.status, warm.stderr).toBe(0);
    expect(existsSync(ranMarker)).toBe(false);
    expect(run(cache)).toEqual({ transpilerLoaded: false });
    expect(existsSync(ranMarker)).toBe(true);
  });

  it('when the cache was not warmed, then the start transpiles its TypeScript itself', () => {
    expect(run(join(dir, 'cold-cache'))).toEqual({ transpilerLoaded: true });
  });

  it('when an entry point does not compile, then warming fails and says why', () => {
    writeFileSync(join(dir, 'dependency.ts'), 'export const = ;\n');
    const warm = node([warmCommand, entry], join(dir, 'cache'));

    expect(warm.status).not.toBe(0);
    expect(warm.stderr).toContain('dependency.ts');
  });

  it('when no cache directory or no entry point is given, then it refuses with its usage', () => {
    expect(node([warmCommand, entry]).status).toBe(2);
    const withoutEntries = node([warmCommand], join(dir, 'cache'));
    expect(withoutEntries.status).toBe(2);
    expect(withoutEntries.stderr).toContain('usage:');
  });
});
