// Original file: proto/ektola/v1/campaign.proto


export interface Campaign {
  'id'?: (string);
  'name'?: (string);
  'templateId'?: (string);
  'status'?: (string);
  'recurrence'?: (string);
  'timezone'?: (string);
  'startAt'?: (string);
  'endAt'?: (string);
  'audienceTags'?: (string)[];
}

export interface Campaign__Output {
  'id': (string);
  'name': (string);
  'templateId': (string);
  'status': (string);
  'recurrence': (string);
  'timezone': (string);
  'startAt': (string);
  'endAt': (string);
  'audienceTags': (string)[];
}
