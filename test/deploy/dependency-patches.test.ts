import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/helm.ts';

/*
 * patches/ holds fixes to dependencies that upstream has not released (each patch says why). npm's
 * postinstall applies them locally and in CI, the Dockerfile in images; a dependency upgraded past its
 * patch must fail here, not silently drop the fix.
 */
const patches = readdirSync(join(repoRoot, 'patches')).filter((file) => file.endsWith('.patch'));
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('dependency patches', () => {
  it('when patches/ is read, then it holds at least the PostgreSQL driver fix', () => {
    expect(patches).toContain('postgres+3.4.9.patch');
  });

  it.each(patches)(
    'when %s is read, then it names the installed version and every line it adds is installed',
    (file) => {
      const [, name, version] = /^(.+)\+([^+]+)\.patch$/.exec(file)!;
      expect(JSON.parse(read(`node_modules/${name}/package.json`)).version).toBe(version);
      const text = read(`patches/${file}`);
      for (const section of text.split(/^diff --git /m).slice(1)) {
        const path = /^a\/(\S+)/.exec(section)![1]!;
        const installed = read(path);
        const added = section
          .split('\n')
          .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
          .map((line) => line.slice(1));
        expect(added.length).toBeGreaterThan(0);
        for (const line of added) expect(installed).toContain(line);
      }
    },
  );

  it('when the Dockerfile is read, then the image gets patches/ and applies it after installing', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain('COPY patches ./patches');
    expect(dockerfile).toMatch(
      /npm ci --omit=dev --ignore-scripts[^\n]*\\\n\s*&& npx --yes patch-package@[\d.]+ --error-on-fail/,
    );
    expect(read('.dockerignore').split('\n')).toContain('!patches/**');
    const rootPackage = JSON.parse(read('package.json'));
    expect(rootPackage.scripts.postinstall).toBe('patch-package --error-on-fail');
    expect(dockerfile).toContain(
      `npx --yes patch-package@${rootPackage.devDependencies['patch-package']} --error-on-fail`,
    );
  });
});
