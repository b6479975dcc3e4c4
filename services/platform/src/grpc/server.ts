import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { DomainError, grpcStatusOf, isDependencyUnavailable, isDomainError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { accessInterceptor, type GrpcAccess } from './access.ts';
import { SpanKind, extractTraceContext, withSpan } from '../telemetry.ts';

export interface GrpcServer {
  server: grpc.Server;
  /** grpc.health.v1: SERVING once started, NOT_SERVING from the moment shutdown begins. */
  health: HealthImplementation;
  start(): Promise<number>;
  stop(graceMs?: number): Promise<void>;
}

/** `access` names the callers the server accepts and what each may call; see access.ts. */
export function createGrpcServer(options: {
  host: string;
  port: number;
  logger: Logger;
  access: GrpcAccess;
}): GrpcServer {
  const server = new grpc.Server({
    'grpc.keepalive_permit_without_calls': 1,
    interceptors: [accessInterceptor(options.access, options.logger)],
  });
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  return {
    server,
    health,
    start: () =>
      new Promise((resolve, reject) => {
        server.bindAsync(`${options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
          if (error) return reject(error);
          health.setStatus('', 'SERVING');
          options.logger.info({ port }, 'grpc listening');
          resolve(port);
        });
      }),
    stop: (graceMs = 5_000) =>
      new Promise((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

const contextOf = (metadata: grpc.Metadata) =>
  extractTraceContext((key) => {
    const [value] = metadata.get(key);
    return typeof value === 'string' ? value : undefined;
  });

function toServiceError(error: unknown, logger: Logger, method: string): Partial<grpc.StatusObject> {
  if (isDomainError(error)) {
    const metadata = new grpc.Metadata();
    metadata.set('ektola-error-code', error.code);
    if (error.details.length > 0) metadata.set('ektola-error-details', JSON.stringify(error.details));
    return { code: grpcStatusOf(error), details: error.message, metadata };
  }
  // PostgreSQL restarting or a connection dropped: the caller may retry (a read rides it out), as the
  // HTTP routes answer 503 for the same failures.
  if (isDependencyUnavailable(error)) {
    logger.warn({ err: error, method }, 'grpc handler: a dependency is unavailable');
    return { code: grpc.status.UNAVAILABLE, details: 'a dependency is unavailable' };
  }
  logger.error({ err: error, method }, 'grpc handler failed');
  return { code: grpc.status.INTERNAL, details: 'internal error' };
}

/** A unary handler in promise form: traced from the caller's metadata, domain errors mapped to gRPC codes. */
export function unaryHandler<Req, Res>(
  method: string,
  logger: Logger,
  handle: (request: Req, call: { metadata: grpc.Metadata; deadline: grpc.Deadline }) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    withSpan(
      `grpc ${method}`,
      {
        kind: SpanKind.SERVER,
        parent: contextOf(call.metadata),
        attributes: { 'rpc.system': 'grpc', 'rpc.method': method },
      },
      () => handle(call.request, { metadata: call.metadata, deadline: call.getDeadline() }),
    ).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, logger, method)),
    );
  };
}

/**
 * Responses handed to grpc-js and not yet taken by the HTTP/2 stream, beyond which `write` waits. The
 * stream's own buffer says "full" only at 16 responses (an object-mode Writable's mark); at 500 messages
 * a response, an export the client read slower than the dispatcher paged held 8,000 messages' objects
 * long enough for V8 to promote them: the dispatcher's old space grew from about 56 to 85 MB for it.
 */
const maxUnwrittenResponses = 2;

/** A server-streaming handler: `write` waits when the client reads slower than we produce. */
export function serverStreamHandler<Req, Res>(
  method: string,
  logger: Logger,
  handle: (request: Req, write: (response: Res) => Promise<void>, signal: AbortSignal) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort(new DomainError('unavailable', 'client cancelled the stream')));
    let unwritten = 0;
    const waiting: Array<() => void> = [];
    const written = () => {
      unwritten -= 1;
      waiting.shift()?.();
    };
    const write = (response: Res) =>
      new Promise<void>((resolve, reject) => {
        if (abort.signal.aborted) return reject(abort.signal.reason);
        unwritten += 1;
        call.write(response, written);
        if (unwritten < maxUnwrittenResponses) return resolve();
        // A cancelled call never finishes its pending write: the abort settles the wait instead.
        const cancelled = () => reject(abort.signal.reason);
        abort.signal.addEventListener('abort', cancelled, { once: true });
        waiting.push(() => {
          abort.signal.removeEventListener('abort', cancelled);
          resolve();
        });
      });
    withSpan(
      `grpc ${method}`,
      {
        kind: SpanKind.SERVER,
        parent: contextOf(call.metadata),
        attributes: { 'rpc.system': 'grpc', 'rpc.method': method },
      },
      () => handle(call.request, write, abort.signal),
    ).then(
      () => call.end(),
      (error: unknown) => {
        // grpc-js sends the status of an 'error' event; destroy() would end the stream without one,
        // leaving the client waiting for its deadline.
        if (!abort.signal.aborted)
          call.emit('error', Object.assign(new Error('stream failed'), toServiceError(error, logger, method)));
      },
    );
  };
}
