/**
 * Transport-neutral failures. Domain code throws these; each edge (HTTP, gRPC, JetStream)
 * maps the kind to its own vocabulary in one place, so no domain module knows about status codes.
 */
export type ErrorKind =
  | 'invalid'
  | 'unprocessable'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'failed_precondition'
  | 'rate_limited'
  | 'bad_gateway'
  | 'unavailable'
  | 'internal';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly details: ErrorDetail[];
  readonly code: string;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { code?: string; details?: ErrorDetail[]; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.kind = kind;
    this.code = options.code ?? kind;
    this.details = options.details ?? [];
    this.retryable = options.retryable ?? (kind === 'unavailable' || kind === 'rate_limited');
  }
}

export const invalid = (message: string, details: ErrorDetail[] = [], code = 'invalid') =>
  new DomainError('invalid', message, { details, code });
/** Well-formed input naming something that cannot be used (an unknown number at Meta, a disabled sender). */
export const unprocessable = (message: string, details: ErrorDetail[] = [], code = 'unprocessable') =>
  new DomainError('unprocessable', message, { details, code });
/** A peer (Meta) answered, but with an error EkTola cannot pass on as the caller's fault. */
export const badGateway = (message: string, code = 'bad_gateway') => new DomainError('bad_gateway', message, { code });
export const notFound = (what: string, id: string) =>
  new DomainError('not_found', `${what} ${id} was not found`, { code: 'not_found' });
export const conflict = (message: string, code = 'conflict') => new DomainError('conflict', message, { code });
export const failedPrecondition = (message: string, code = 'failed_precondition') =>
  new DomainError('failed_precondition', message, { code });
export const unavailable = (message: string, cause?: unknown) =>
  new DomainError('unavailable', message, { cause, code: 'unavailable' });

const httpStatusByKind: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  failed_precondition: 409,
  rate_limited: 429,
  bad_gateway: 502,
  unavailable: 503,
  internal: 500,
};

export function httpStatusOf(error: DomainError): number {
  return httpStatusByKind[error.kind];
}

/** Values of grpc.status, kept here as numbers so the domain never imports grpc-js. */
const grpcStatusByKind: Record<ErrorKind, number> = {
  // Listed before the kinds sharing their code, so a code read back maps to the older, broader kind.
  unprocessable: 3, // INVALID_ARGUMENT
  bad_gateway: 14, // UNAVAILABLE
  invalid: 3, // INVALID_ARGUMENT
  unauthenticated: 16, // UNAUTHENTICATED
  forbidden: 7, // PERMISSION_DENIED
  not_found: 5, // NOT_FOUND
  conflict: 6, // ALREADY_EXISTS
  failed_precondition: 9, // FAILED_PRECONDITION
  rate_limited: 8, // RESOURCE_EXHAUSTED
  unavailable: 14, // UNAVAILABLE
  internal: 13, // INTERNAL
};

export function grpcStatusOf(error: DomainError): number {
  return grpcStatusByKind[error.kind];
}

const kindByGrpcStatus = new Map(Object.entries(grpcStatusByKind).map(([kind, code]) => [code, kind as ErrorKind]));

export function kindOfGrpcStatus(code: number): ErrorKind {
  if (code === 4 /* DEADLINE_EXCEEDED */ || code === 1 /* CANCELLED */) return 'unavailable';
  return kindByGrpcStatus.get(code) ?? 'internal';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Node's codes for a peer that cannot be reached or dropped the connection. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** postgres.js's codes for a lost connection. */
const postgresClientCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * A dependency (PostgreSQL, NATS, another service) that is down or restarting: the request may
 * succeed when retried, so it is a 503, not a fault of ours. PostgreSQL's SQLSTATE class 08 is a
 * connection exception, 57P01–57P03 a server shutting down, crashed or still starting.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    connectionCodes.has(code) ||
    postgresClientCodes.has(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03'].includes(code)
  );
}
