// Original file: proto/ektola/v1/campaign.proto

import type { TemplateVariable as _ektola_v1_TemplateVariable, TemplateVariable__Output as _ektola_v1_TemplateVariable__Output } from '../../ektola/v1/TemplateVariable.ts';

export interface Template {
  'id'?: (string);
  'name'?: (string);
  'language'?: (string);
  'category'?: (string);
  'status'?: (string);
  'parameterFormat'?: (string);
  'componentsJson'?: (string);
  'variables'?: (_ektola_v1_TemplateVariable)[];
}

export interface Template__Output {
  'id': (string);
  'name': (string);
  'language': (string);
  'category': (string);
  'status': (string);
  'parameterFormat': (string);
  'componentsJson': (string);
  'variables': (_ektola_v1_TemplateVariable__Output)[];
}
