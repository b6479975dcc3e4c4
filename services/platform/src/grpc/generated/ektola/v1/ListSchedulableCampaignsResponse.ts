// Original file: proto/ektola/v1/campaign.proto

import type { SchedulableCampaign as _ektola_v1_SchedulableCampaign, SchedulableCampaign__Output as _ektola_v1_SchedulableCampaign__Output } from '../../ektola/v1/SchedulableCampaign.ts';

export interface ListSchedulableCampaignsResponse {
  'campaigns'?: (_ektola_v1_SchedulableCampaign)[];
  'nextPageToken'?: (string);
}

export interface ListSchedulableCampaignsResponse__Output {
  'campaigns': (_ektola_v1_SchedulableCampaign__Output)[];
  'nextPageToken': (string);
}
