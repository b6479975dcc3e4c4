// Original file: proto/ektola/v1/callback.proto


export interface DeleteWebhookEndpointResponse {
}

export interface DeleteWebhookEndpointResponse__Output {
}
