import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

const methods = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * Fastify gives every request a child logger. With pino that costs a redaction pass over the
 * bindings (the redact paths start with a wildcard, which applies to every key) and, when a route
 * sets its own level, a rebuild of every log method: a few percent of a webhook's or a send's CPU at
 * thousands of requests a second, for a logger most requests never write to. This one makes the
 * child on the first line that its level lets through.
 */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Record<string, unknown>, options: { level?: string }): FastifyBaseLogger {
  const values = (parent as unknown as Logger).levels.values;
  let child: FastifyBaseLogger | undefined;
  let level = options.level ?? parent.level;
  const made = () => (child ??= parent.child(bindings, options));
  const logger = {
    get level() {
      return level;
    },
    set level(value: string) {
      made().level = value;
      level = value;
    },
    child: (childBindings: Record<string, unknown>, childOptions?: object) => made().child(childBindings, childOptions),
    silent: () => undefined,
  } as Record<string, unknown>;
  for (const method of methods) {
    logger[method] = (...args: unknown[]) => {
      if (values[method]! < (values[level] ?? Number.POSITIVE_INFINITY)) return;
      (made()[method] as (...args: unknown[]) => void)(...args);
    };
  }
  return logger as unknown as FastifyBaseLogger;
}
