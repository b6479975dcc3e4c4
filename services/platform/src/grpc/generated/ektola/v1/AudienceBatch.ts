// Original file: proto/ektola/v1/campaign.proto

import type { AudienceMember as _ektola_v1_AudienceMember, AudienceMember__Output as _ektola_v1_AudienceMember__Output } from '../../ektola/v1/AudienceMember.ts';

export interface AudienceBatch {
  'members'?: (_ektola_v1_AudienceMember)[];
}

export interface AudienceBatch__Output {
  'members': (_ektola_v1_AudienceMember__Output)[];
}
