// Original file: proto/ektola/v1/campaign.proto

import type { Campaign as _ektola_v1_Campaign, Campaign__Output as _ektola_v1_Campaign__Output } from '../../ektola/v1/Campaign.ts';

export interface SchedulableCampaign {
  'campaign'?: (_ektola_v1_Campaign | null);
  'lastPeriodKey'?: (string);
  'lastScheduledFor'?: (string);
}

export interface SchedulableCampaign__Output {
  'campaign': (_ektola_v1_Campaign__Output | null);
  'lastPeriodKey': (string);
  'lastScheduledFor': (string);
}
