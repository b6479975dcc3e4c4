import type { FastifyError } from 'fastify';
import { httpStatusOf, isDependencyUnavailable, isDomainError, type ErrorDetail } from '../errors.ts';

/** The one error body every EkTola HTTP endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export interface ErrorReply {
  status: number;
  body: ErrorBody;
}

const body = (code: string, message: string, details: ErrorDetail[] = []): ErrorBody => ({
  error: { code, message, details },
});

/** A body, or a part of one (a CSV record), over what the endpoint accepts: a 413 that says which part. */
export class PayloadTooLargeError extends Error {
  readonly code = 'payload_too_large';
  readonly statusCode = 413;
  readonly details: ErrorDetail[];
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'PayloadTooLargeError';
    this.details = details;
  }
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: Array<string | number>; message?: string }; missingProperty?: string };
}

/** Field paths as a client writes them: `body.phone`, `query.limit`, `params.id`. */
function validationDetails(issues: ValidationIssue[], where: string): ErrorDetail[] {
  return issues.map((issue) => {
    const fromZod = issue.params?.issue?.path;
    const path = fromZod
      ? fromZod.join('.')
      : [issue.instancePath?.replace(/^\//, '').replaceAll('/', '.'), issue.params?.missingProperty]
          .filter(Boolean)
          .join('.');
    return {
      path: path ? `${where}.${path}` : where,
      message: issue.params?.issue?.message ?? issue.message ?? 'is invalid',
    };
  });
}

/**
 * Maps anything a route throws to a status and the error body. Bad input is always a 4xx that names
 * the field; only a fault of ours is a 500, and its detail stays in the log.
 */
export function errorReplyFor(error: unknown): ErrorReply {
  if (isDomainError(error)) {
    const status = httpStatusOf(error);
    // A bad gateway's message says what the peer answered, which the caller needs to act on (a token, a number).
    const shown = status < 500 || error.kind === 'bad_gateway' ? error.message : 'internal error';
    return { status, body: body(error.code, shown, error.details) };
  }
  if (error instanceof PayloadTooLargeError)
    return { status: 413, body: body(error.code, error.message, error.details) };
  const fastifyError = error as FastifyError;
  const validation = (error as { validation?: ValidationIssue[]; validationContext?: string }).validation;
  if (validation) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    return { status: 400, body: body('invalid', 'the request is invalid', validationDetails(validation, where)) };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, body: body('payload_too_large', 'the request body is larger than this endpoint accepts') };
    // The router's own refusals; their messages would echo the whole path back.
    case 'FST_ERR_BAD_URL':
      return { status: 400, body: body('bad_url', 'the URL cannot be decoded') };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, body: body('uri_too_long', 'a path segment is longer than this API accepts') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: body('unsupported_media_type', fastifyError.message) };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: body('invalid_json', 'the request body is not valid JSON', [
          { path: 'body', message: fastifyError.message },
        ]),
      };
  }
  if (isDependencyUnavailable(error)) {
    return { status: 503, body: body('unavailable', 'a service this request needs is unavailable; retry later') };
  }
  if (fastifyError.statusCode === 429) {
    return { status: 429, body: body('rate_limited', fastifyError.message || 'too many requests') };
  }
  if (
    fastifyError instanceof SyntaxError ||
    (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
  ) {
    return { status: fastifyError.statusCode ?? 400, body: body('bad_request', fastifyError.message) };
  }
  return { status: 500, body: body('internal', 'internal error') };
}
