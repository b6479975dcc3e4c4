import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

interface HealthClient extends grpc.Client {
  check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: { status: string | number }) => void,
  ): grpc.ClientUnaryCall;
}

const HealthClientConstructor = grpc.makeGenericClientConstructor(
  healthService as unknown as grpc.ServiceDefinition,
  'Health',
) as unknown as new (address: string, credentials: grpc.ChannelCredentials) => HealthClient;

/**
 * A readiness check for a gRPC peer: resolves when it answers SERVING through grpc.health.v1,
 * throws otherwise. One client per peer address, reused across probes.
 */
export function grpcHealthReadiness(address: string, deadlineMs = 1_500): () => Promise<void> {
  const client = new HealthClientConstructor(address, grpc.credentials.createInsecure());
  return () =>
    new Promise((resolve, reject) => {
      client.check({ service: '' }, { deadline: new Date(Date.now() + deadlineMs) }, (error, response) => {
        if (error) return reject(new Error(`${address}: ${error.details || error.message}`));
        if (response?.status === 'SERVING' || response?.status === 1) return resolve();
        reject(new Error(`${address} reports ${String(response?.status)}`));
      });
    });
}
