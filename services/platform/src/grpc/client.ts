import * as grpc from '@grpc/grpc-js';
import { DomainError, kindOfGrpcStatus } from '../errors.ts';
import { SpanKind, injectTraceContext, withSpan } from '../telemetry.ts';
import { tokenInterceptor } from './access.ts';

export interface CallOptions {
  /** Every internal call has a deadline; a hung peer must not hang the caller. */
  deadlineMs?: number;
}

const defaultDeadlineMs = 5_000;

export function createGrpcClient<Client>(
  ClientConstructor: new (
    address: string,
    credentials: grpc.ChannelCredentials,
    options?: grpc.ClientOptions,
  ) => Client,
  address: string,
  /** The calling service's own token, sent with every call (see access.ts). */
  credentials: { token: string },
): Client {
  return new ClientConstructor(address, grpc.credentials.createInsecure(), {
    interceptors: [tokenInterceptor(credentials.token)],
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.enable_retries': 1,
  });
}

function tracedMetadata(): grpc.Metadata {
  const metadata = new grpc.Metadata();
  injectTraceContext((key, value) => metadata.set(key, value));
  return metadata;
}

const deadlineIn = (ms: number) => new Date(Date.now() + ms);

/** Turns a gRPC failure into the domain's vocabulary, keeping the server's error code and field details. */
export function fromServiceError(error: grpc.ServiceError): DomainError {
  const [code] = error.metadata?.get('ektola-error-code') ?? [];
  const [details] = error.metadata?.get('ektola-error-details') ?? [];
  return new DomainError(kindOfGrpcStatus(error.code), error.details || error.message, {
    code: typeof code === 'string' ? code : grpc.status[error.code]?.toLowerCase(),
    details: typeof details === 'string' ? (JSON.parse(details) as DomainError['details']) : [],
    cause: error,
  });
}

/**
 * Calls a unary method of a generated client as a promise, e.g.
 * `callUnary(client.getRun.bind(client), { id })`, with a deadline and the trace context in metadata.
 */
export function callUnary<Req, Res>(
  method: (
    request: Req,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<Res>,
  ) => unknown,
  request: Req,
  options: CallOptions = {},
): Promise<Res> {
  const name = method.name.replace(/^bound /, '');
  return withSpan(
    `grpc ${name}`,
    { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'rpc.method': name } },
    () =>
      new Promise<Res>((resolve, reject) => {
        method(
          request,
          tracedMetadata(),
          { deadline: deadlineIn(options.deadlineMs ?? defaultDeadlineMs) },
          (error, response) => {
            if (error) reject(fromServiceError(error));
            else resolve(response as Res);
          },
        );
      }),
  );
}

/** Reads a server stream as an async iterable; gRPC errors surface as DomainErrors from the loop. */
export async function* callServerStream<Req, Res>(
  method: (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions) => grpc.ClientReadableStream<Res>,
  request: Req,
  options: CallOptions = {},
): AsyncGenerator<Res> {
  const stream = method(request, tracedMetadata(), { deadline: deadlineIn(options.deadlineMs ?? 60_000) });
  try {
    for await (const response of stream) yield response as Res;
  } catch (error) {
    throw 'code' in (error as object) ? fromServiceError(error as grpc.ServiceError) : error;
  } finally {
    stream.cancel();
  }
}
