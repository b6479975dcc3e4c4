import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as CallbackProto } from './generated/callback.ts';
import type { ProtoGrpcType as CampaignProto } from './generated/campaign.ts';
import type { ProtoGrpcType as DispatchProto } from './generated/dispatch.ts';

export type EktolaProto = CampaignProto & DispatchProto & CallbackProto;

export const protoDirectory = fileURLToPath(new URL('../../../../proto/', import.meta.url));

/** The same loader options the generated types were made with; change both together (proto/generate.sh). */
const loaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDirectory],
};

let loaded: EktolaProto | undefined;

export function loadEktolaProto(): EktolaProto {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(
      ['ektola/v1/campaign.proto', 'ektola/v1/dispatch.proto', 'ektola/v1/callback.proto'],
      loaderOptions,
    ),
  ) as unknown as EktolaProto;
  return loaded;
}
