import { grpcTokenVariables, type GrpcCaller } from '../grpc/tokens.ts';

/** Fixed tokens for tests, one per calling service, so a test's clients and servers agree without wiring. */
export const testGrpcTokens: Record<GrpcCaller, string> = {
  'campaign-service': 'test-campaign-service-grpc-token',
  'dispatcher-service': 'test-dispatcher-service-grpc-token',
  'scheduler-service': 'test-scheduler-service-grpc-token',
};

/** Each service's token variables for `testGrpcTokens`. */
export const testGrpcTokenEnv = grpcTokenVariables(testGrpcTokens);
