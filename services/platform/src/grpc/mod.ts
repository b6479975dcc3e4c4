export { loadEktolaProto, protoDirectory, type EktolaProto } from './proto.ts';
export { createGrpcServer, serverStreamHandler, unaryHandler, type GrpcServer } from './server.ts';
export { grpcHealthReadiness } from './health.ts';
export { callServerStream, callUnary, createGrpcClient, fromServiceError, type CallOptions } from './client.ts';
export type * from './types.ts';
export { accessInterceptor, callerOf, rpcNameOf, tokenInterceptor, type GrpcAccess } from './access.ts';
export { generateGrpcTokens, grpcTokenVariables, type GrpcCaller } from './tokens.ts';
export { grpcAccess, rpcCallers } from './callers.ts';
