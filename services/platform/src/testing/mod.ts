export { createTestDatabase, type TestDatabase } from './database.ts';
export { deleteNamespaceStreams, testNatsUrl, uniqueNamespace } from './namespace.ts';
export { startTcpBalancer, startTcpProxy, type TcpBalancer, type TcpProxy } from './tcp-proxy.ts';
export { eventually, freePort, startServiceProcess, type ServiceProcess } from './service-process.ts';
export { startOtlpCollector, type OtlpCollector } from './otlp-collector.ts';
export { testGrpcTokenEnv, testGrpcTokens } from './grpc-tokens.ts';
export { startNatsServer, type NatsServer } from './nats-server.ts';
export { startNatsCluster, type NatsCluster, type NatsClusterNode } from './nats-cluster.ts';
export { explainingDatabase, type ExplainingDatabase } from './explained.ts';
