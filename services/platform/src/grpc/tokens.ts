import { randomBytes } from 'node:crypto';

/** The services that call another over gRPC, each with a token of its own. */
export type GrpcCaller = 'campaign-service' | 'dispatcher-service' | 'scheduler-service';

/**
 * Each service's token variables from one token per caller: `GRPC_TOKEN` is the token a service
 * presents, `GRPC_<CALLER>_TOKEN` the tokens of the callers its server accepts. The local stack and
 * the tests build their environments with this, so the two sides of every call always agree.
 */
export function grpcTokenVariables(
  tokens: Record<GrpcCaller, string>,
): Record<GrpcCaller | 'callback-service', Record<string, string>> {
  return {
    'campaign-service': {
      GRPC_TOKEN: tokens['campaign-service'],
      GRPC_SCHEDULER_TOKEN: tokens['scheduler-service'],
      GRPC_DISPATCHER_TOKEN: tokens['dispatcher-service'],
    },
    'dispatcher-service': { GRPC_TOKEN: tokens['dispatcher-service'], GRPC_CAMPAIGN_TOKEN: tokens['campaign-service'] },
    'scheduler-service': { GRPC_TOKEN: tokens['scheduler-service'] },
    // Serves CallbackAdmin and calls no one.
    'callback-service': { GRPC_CAMPAIGN_TOKEN: tokens['campaign-service'] },
  };
}

/** A fresh random token per caller, as the local stack starts. */
export const generateGrpcTokens = (): Record<GrpcCaller, string> => ({
  'campaign-service': randomBytes(24).toString('base64url'),
  'dispatcher-service': randomBytes(24).toString('base64url'),
  'scheduler-service': randomBytes(24).toString('base64url'),
});
