import { draftMessage } from './message-draft.ts';
import type { AudienceSource, FanOutStore, NewRun, RunCompletion, SendQueue } from './ports.ts';

export interface TestSendRequest {
  messageId: string;
  campaignId: string;
  templateId: string;
  contactId: string;
  phone: string;
  variables: Readonly<Record<string, string>>;
  /** The number the test goes out from; absent: the default number. */
  phoneNumberId?: string | undefined;
}

/**
 * A test send takes the path every message takes: it is stored as a run of its own holding one message
 * (the message id the campaign-service answered with), queued, and then claimed, rate-limited, sent and
 * moved by Meta's statuses like any other. That run is marked a test send, so its completion is never
 * announced and it counts in no campaign report. A redelivered request finds the message stored and
 * queues it under the same msgId, which JetStream drops.
 */
export function createTestSend(options: {
  audience: Pick<AudienceSource, 'template'>;
  store: Pick<FanOutStore, 'openRun' | 'insertMessages' | 'finishFanOut'>;
  queue: SendQueue;
  runs: RunCompletion;
  phoneNumberId: string;
}) {
  const { audience, store, queue, runs } = options;
  return async function testSend(request: TestSendRequest): Promise<void> {
    const run: NewRun = {
      id: request.messageId,
      campaignId: request.campaignId,
      templateId: request.templateId,
      phoneNumberId: request.phoneNumberId ?? options.phoneNumberId,
      testSend: true,
      // An operator's deliberate check of one number: no cap, region rule or send window holds it.
      guardrails: undefined,
    };
    const opened = await store.openRun(run);
    if (!opened.done) {
      const template = await audience.template(run.templateId);
      const draft = {
        ...draftMessage(run.id, template, request),
        id: request.messageId,
        phoneNumberId: run.phoneNumberId,
      };
      await store.insertMessages(run, template, [draft]);
      if (draft.status === 'PENDING') await queue.enqueue(run.id, [{ key: 'test-send', messageIds: [draft.id] }]);
      await store.finishFanOut(run.id);
    }
    await runs.settle([run.id]);
  };
}

export type TestSend = ReturnType<typeof createTestSend>;
