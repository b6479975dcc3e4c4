// Original file: proto/ektola/v1/campaign.proto


export interface TemplateVariable {
  'placeholder'?: (string);
  'field'?: (string);
  'defaultValue'?: (string);
}

export interface TemplateVariable__Output {
  'placeholder': (string);
  'field': (string);
  'defaultValue': (string);
}
