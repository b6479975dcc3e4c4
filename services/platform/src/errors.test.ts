import { describe, expect, it } from 'vitest';
import { errorReplyFor } from './http/error-reply.ts';
import {
  badGateway,
  grpcStatusOf,
  httpStatusOf,
  invalid,
  kindOfGrpcStatus,
  unavailable,
  unprocessable,
} from './errors.ts';

describe('error kinds', () => {
  it('when input is well formed but names nothing usable, then it is a 422; a peer answering badly is a 502', () => {
    expect(httpStatusOf(unprocessable('x', [{ path: 'body.phoneNumberId', message: 'unknown' }]))).toBe(422);
    expect(httpStatusOf(badGateway('Meta refused the token'))).toBe(502);
    expect(badGateway('x').retryable).toBe(false);
  });

  it('when a gRPC status is read back, then the codes the new kinds share still mean invalid and unavailable', () => {
    expect(grpcStatusOf(unprocessable('x'))).toBe(grpcStatusOf(invalid('x')));
    expect(grpcStatusOf(badGateway('x'))).toBe(grpcStatusOf(unavailable('x')));
    expect(kindOfGrpcStatus(3)).toBe('invalid');
    expect(kindOfGrpcStatus(14)).toBe('unavailable');
  });

  it("when a route fails on a bad gateway, then the caller reads what the peer answered; other 5xx stay 'internal error'", () => {
    expect(errorReplyFor(badGateway('Meta refused the configured access token (code 190)')).body.error.message).toBe(
      'Meta refused the configured access token (code 190)',
    );
    expect(errorReplyFor(unavailable('database host 10.0.0.5 is down')).body.error.message).toBe('internal error');
  });
});
