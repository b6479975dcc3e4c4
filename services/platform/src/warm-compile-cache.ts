import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/*
 * `node services/platform/src/warm-compile-cache.ts <entry.ts>…`: fills Node's compile cache
 * (NODE_COMPILE_CACHE) with every module the entry points load, without running any of them.
 *
 * Why: Node runs the services' TypeScript by stripping its types, and the stripper is a WebAssembly
 * build of swc that a process loads on the first .ts file it has no cached transpilation for. Loaded,
 * it stays resident for the life of the process: about 15 MB of every service's memory, and a slower
 * start. With every module's transpilation in the cache, a service never loads it. The image fills
 * the cache when it is built and `npm run bench` before it measures.
 *
 * How: a module graph is compiled whole, and its imports transpiled, before any of it is evaluated,
 * and evaluation runs a module's imports in order. So an importer whose first import throws stops the
 * evaluation before any entry point's code runs, while every module of every entry has been compiled;
 * Node writes the cache when the process exits. V8 flags that change compiled code (such as
 * --heap-growing-percent) give the cache another directory, so this must run with the flags the
 * services run with.
 */

const entries = process.argv.slice(2);
if (!process.env.NODE_COMPILE_CACHE || entries.length === 0) {
  process.stderr.write('usage: NODE_COMPILE_CACHE=<dir> node warm-compile-cache.ts <entry.ts>…\n');
  process.exit(2);
}

const stop = new Error('warm-compile-cache: stop before evaluation');
const stopKey = Symbol.for('ektola.warm-compile-cache.stop');
(globalThis as Record<symbol, unknown>)[stopKey] = stop;

const moduleUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
const stopFirst = moduleUrl(`throw globalThis[Symbol.for(${JSON.stringify(stopKey.description)})];`);
const importer = [stopFirst, ...entries.map((entry) => pathToFileURL(resolve(entry)).href)]
  .map((url) => `import ${JSON.stringify(url)};`)
  .join('\n');

try {
  await import(moduleUrl(importer));
  throw new Error('warm-compile-cache: the entry points were evaluated');
} catch (error) {
  if (error !== stop) throw error;
}
