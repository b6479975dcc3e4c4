import { createHash, timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logger.ts';

/**
 * Who may call a gRPC server: each calling service's token, and for each RPC the callers allowed to
 * call it. An RPC missing from `rpcs` is refused to every caller, so a new RPC is closed until it is
 * given its callers.
 */
export interface GrpcAccess {
  /** The token each calling service presents, by the caller's name. */
  callers: Partial<Record<string, string>>;
  /** Callers allowed per RPC, by `Service/Method` as in the proto (`CampaignQuery/CreateRun`). */
  rpcs: Record<string, readonly string[]>;
}

const healthPrefix = '/grpc.health.v1.Health/';
const bearer = /^Bearer (.+)$/;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `/ektola.v1.CampaignQuery/CreateRun` → `CampaignQuery/CreateRun`. */
export const rpcNameOf = (path: string) => path.slice(path.lastIndexOf('.', path.lastIndexOf('/')) + 1);

/**
 * The caller whose token matches, compared in constant time against every known token (digests, so
 * neither the length nor the position of a difference shows in the timing); undefined when none does.
 */
export function callerOf(access: GrpcAccess, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const presented = digest(token);
  let found: string | undefined;
  for (const [caller, expected] of Object.entries(access.callers)) {
    if (expected !== undefined && timingSafeEqual(presented, digest(expected))) found = caller;
  }
  return found;
}

/**
 * A server interceptor that checks every call's `authorization: Bearer <token>` metadata before the
 * handler sees it: no token or an unknown one is UNAUTHENTICATED, a known caller calling an RPC it is
 * not allowed is PERMISSION_DENIED. grpc.health.v1 stays open for probes.
 */
export function accessInterceptor(access: GrpcAccess, logger: Logger): grpc.ServerInterceptor {
  return (method, call) => {
    if (method.path.startsWith(healthPrefix)) return new grpc.ServerInterceptingCall(call);
    const rpc = rpcNameOf(method.path);
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, passOn) {
            const [header] = metadata.get('authorization');
            const token = typeof header === 'string' ? bearer.exec(header)?.[1] : undefined;
            const caller = callerOf(access, token);
            if (!caller) {
              logger.warn(
                { rpc, peer: call.getPeer(), token: token === undefined ? 'missing' : 'unknown' },
                'grpc call refused: unauthenticated',
              );
              call.sendStatus({
                code: grpc.status.UNAUTHENTICATED,
                details: 'a gRPC token of a known service is required (authorization: Bearer <token>)',
              });
              return;
            }
            if (!access.rpcs[rpc]?.includes(caller)) {
              logger.warn({ rpc, caller }, 'grpc call refused: caller not allowed');
              call.sendStatus({ code: grpc.status.PERMISSION_DENIED, details: `${caller} may not call ${rpc}` });
              return;
            }
            passOn(metadata);
          },
        });
      },
    });
  };
}

/** A client interceptor that presents the calling service's token on every call. */
export function tokenInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
