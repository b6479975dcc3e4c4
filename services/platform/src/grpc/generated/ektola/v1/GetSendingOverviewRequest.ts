// Original file: proto/ektola/v1/dispatch.proto


export interface GetSendingOverviewRequest {
}

export interface GetSendingOverviewRequest__Output {
}
