import { existsSync, readdirSync, statSync } from 'node:fs';
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

/**
 * The operator console's static build (services/console/dist), which the campaign-service serves at
 * `/`: built with Vite when missing or older than its sources, left alone otherwise.
 */
export async function ensureConsoleBuild(log: (line: string) => void = () => {}): Promise<void> {
  if (existsSync(consoleIndex) && statSync(consoleIndex).mtimeMs >= newestSource()) return;
  log('[console] building services/console (npm run console:build)');
  const { build } = await import('vite');
  await build({ root: consoleRoot, logLevel: 'warn' });
  if (!existsSync(consoleIndex)) throw new Error(`the console build did not write ${consoleIndex}`);
}
