import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const consoleRoot = new URL('../../services/console/', import.meta.url).pathname;
export const consoleIndex = `${consoleRoot}dist/index.html`;

/** The newest modification time among the files the build reads (its sources, page, config and manifest). */
function newestSource(): number {
  const files = [
    ...readdirSync(join(consoleRoot, 'src'), { recursive: true, encoding: 'utf8' }).map((file) => join('src', file)),
    'index.html',
    'vite.config.ts',
    'package.json',
  ];
  return Math.max(...files.map((file) => statSync(join(consoleRoot, file)).mtimeMs));
}

const upToDate = () => existsSync(consoleIndex) && statSync(consoleIndex).mtimeMs >= newestSource();
const lock = `${consoleRoot}.build-lock`;

/**
 * The operator console's static build (services/console/dist), which the campaign-service serves at
 * `/` (it lists the files as it starts, so build before starting it): built with Vite when missing or
 * older than its sources, left alone otherwise. One build at a time across processes (test files run
 * in parallel): the others wait for it and then find it up to date.
 */
export async function ensureConsoleBuild(log: (line: string) => void = () => {}): Promise<void> {
  if (upToDate()) return;
  for (const deadline = Date.now() + 120_000; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is what a killed process left behind.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { force: true, recursive: true });
      if (Date.now() > deadline) throw new Error(`${lock} is held: is another console build running?`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (upToDate()) return;
    log('[console] building services/console (npm run console:build)');
    const { build } = await import('vite');
    // Vite keeps a NODE_ENV it finds set, and the test runner sets it to `test`, which would bundle
    // React's development build: the console is always built as it ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ root: consoleRoot, logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    if (!existsSync(consoleIndex)) throw new Error(`the console build did not write ${consoleIndex}`);
  } finally {
    rmSync(lock, { force: true, recursive: true });
  }
}
