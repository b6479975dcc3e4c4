import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger that makes its pino child on the first line its level lets through. Its methods
 * live on the prototype, so a request that never logs costs one small object.
 */
class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;
  #level: string;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Record<string, unknown>;
  readonly #options: { level?: string };

  constructor(parent: FastifyBaseLogger, bindings: Record<string, unknown>, options: { level?: string }) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
    this.#level = options.level ?? parent.level;
  }

  get level(): string {
    return this.#level;
  }

  set level(value: string) {
    this.#made().level = value;
    this.#level = value;
  }

  child(bindings: Record<string, unknown>, options?: object): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }

  silent(): void {}
  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }

  #made(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }

  #write(method: LogMethod, args: unknown[]): void {
    const values = (this.#parent as unknown as Logger).levels.values;
    if (values[method]! < (values[this.#level] ?? Number.POSITIVE_INFINITY)) return;
    (this.#made()[method] as (...args: unknown[]) => void)(...args);
  }
}

/**
 * Fastify gives every request a child logger. With pino that costs a redaction pass over the
 * bindings (the redact paths start with a wildcard, which applies to every key) and, when a route
 * sets its own level, a rebuild of every log method: a few percent of a webhook's or a send's CPU at
 * thousands of requests a second, for a logger most requests never write to.
 */
export function lazyRequestLogger(
  parent: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: { level?: string },
): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number | undefined } | null;
}

/** A parameter name as the API spells its own; anything else (a client may send `?+9198…`) is left out as well. */
const parameterName = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** The path with each query parameter's name kept and its value left out: a value can be a phone number (`?search=+9198…`). */
export function pathWithoutQueryValues(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=', 1)[0]!)
    .map((name) => `${parameterName.test(name) ? name : '…'}=…`);
  return names.length > 0 ? `${url.slice(0, at)}?${names.join('&')}` : url.slice(0, at);
}

/** How Fastify's `incoming request` lines show a request (its own serializer logs the whole URL). */
export function serializeRequest(request: LoggedRequest) {
  // Only Fastify's requests are rewritten; any other `req` a line carries is logged as it is.
  if (typeof request?.url !== 'string') return request;
  return {
    method: request.method,
    url: pathWithoutQueryValues(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
