import { existsSync } from 'node:fs';

const consoleRoot = new URL('../../services/console/', import.meta.url).pathname;
export const consoleIndex = `${consoleRoot}dist/index.html`;

/**
 * The operator console's static build (services/console/dist), which the campaign-service serves at
 * `/`: built with Vite when missing, left alone when present (`npm run console:build` rebuilds it).
 */
export async function ensureConsoleBuild(log: (line: string) => void = () => {}): Promise<void> {
  if (existsSync(consoleIndex)) return;
  log('[console] building services/console (npm run console:build)');
  const { build } = await import('vite');
  await build({ root: consoleRoot, logLevel: 'warn' });
  if (!existsSync(consoleIndex)) throw new Error(`the console build did not write ${consoleIndex}`);
}
