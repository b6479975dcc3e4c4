// Original file: proto/ektola/v1/campaign.proto


export interface RecordSchedulerRunResponse {
}

export interface RecordSchedulerRunResponse__Output {
}
