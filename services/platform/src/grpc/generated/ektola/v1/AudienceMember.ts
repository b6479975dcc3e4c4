// Original file: proto/ektola/v1/campaign.proto


export interface AudienceMember {
  'contactId'?: (string);
  'phone'?: (string);
  'variables'?: ({[key: string]: string});
  'timezone'?: (string);
}

export interface AudienceMember__Output {
  'contactId': (string);
  'phone': (string);
  'variables': ({[key: string]: string});
  'timezone': (string);
}
