// Original file: proto/ektola/v1/callback.proto


export interface UpdateWebhookEndpointRequest {
  'id'?: (string);
  'setUrl'?: (boolean);
  'url'?: (string);
  'setEvents'?: (boolean);
  'events'?: (string)[];
  'setEnabled'?: (boolean);
  'enabled'?: (boolean);
  'setDescription'?: (boolean);
  'description'?: (string);
}

export interface UpdateWebhookEndpointRequest__Output {
  'id': (string);
  'setUrl': (boolean);
  'url': (string);
  'setEvents': (boolean);
  'events': (string)[];
  'setEnabled': (boolean);
  'enabled': (boolean);
  'setDescription': (boolean);
  'description': (string);
}
