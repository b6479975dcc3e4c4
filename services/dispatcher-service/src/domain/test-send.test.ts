import { describe, expect, it } from 'vitest';
import type { MessageDraft } from './message-draft.ts';
import type { NewRun } from './ports.ts';
import { createTestSend } from './test-send.ts';

const template = {
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL' as const,
  components: [{ type: 'BODY' as const, text: 'Hi {{1}}, {{2}} is due' }],
};
const request = {
  messageId: '0b7b2f7e-5c1e-4a57-9d2a-7f0f5f1e2a10',
  campaignId: '6c0b8a52-1d7a-4d3e-8f7e-2b1a0c9d8e70',
  templateId: '9a1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e50',
  contactId: 'phone:+919876543210',
  phone: '+919876543210',
  variables: { 'body.1': 'customer', 'body.2': '₹12,500' },
};

function world(opened: { done: boolean } = { done: false }) {
  const runs: NewRun[] = [];
  const stored: MessageDraft[] = [];
  const queued: Array<{ runId: string; key: string; messageIds: string[] }> = [];
  const finished: string[] = [];
  const settled: string[][] = [];
  const testSend = createTestSend({
    audience: { template: async () => template },
    store: {
      async openRun(run) {
        runs.push(run);
        return { cursor: undefined, done: opened.done, cancelled: false };
      },
      async insertMessages(_run, _template, drafts) {
        stored.push(...drafts);
        return { pending: drafts.length, failed: 0, skipped: {}, runCancelled: false };
      },
      async finishFanOut(runId) {
        finished.push(runId);
      },
    },
    queue: {
      async enqueue(runId, batches) {
        queued.push(...batches.map((batch) => ({ runId, ...batch })));
      },
    },
    runs: {
      async settle(runIds) {
        settled.push([...runIds]);
      },
    },
    phoneNumberId: 'n1',
  });
  return { testSend, runs, stored, queued, finished, settled };
}

describe('createTestSend', () => {
  it('when a test send is requested, then its one message is stored under the given id in a test-send run of its own and queued', async () => {
    const test = world();
    await test.testSend(request);
    expect(test.runs).toEqual([
      {
        id: request.messageId,
        campaignId: request.campaignId,
        templateId: request.templateId,
        phoneNumberId: 'n1',
        testSend: true,
      },
    ]);
    expect(test.stored).toEqual([
      {
        id: request.messageId,
        contactId: request.contactId,
        phone: request.phone,
        phoneNumberId: 'n1',
        status: 'PENDING',
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'customer' },
              { type: 'text', text: '₹12,500' },
            ],
          },
        ],
      },
    ]);
    expect(test.queued).toEqual([{ runId: request.messageId, key: 'test-send', messageIds: [request.messageId] }]);
    expect(test.finished).toEqual([request.messageId]);
    expect(test.settled).toEqual([[request.messageId]]);
  });

  it('when the request names a number, then the test goes out from that number', async () => {
    const test = world();
    await test.testSend({ ...request, phoneNumberId: '222' });
    expect(test.runs[0]).toMatchObject({ phoneNumberId: '222' });
    expect(test.stored[0]).toMatchObject({ phoneNumberId: '222' });
  });

  it('when the request comes again after it was stored, then nothing is stored or queued again', async () => {
    const test = world({ done: true });
    await test.testSend(request);
    expect({ stored: test.stored, queued: test.queued }).toEqual({ stored: [], queued: [] });
    expect(test.settled).toEqual([[request.messageId]]);
  });

  it('when the values do not fit the template, then the message is stored FAILED and nothing is queued', async () => {
    const test = world();
    await test.testSend({ ...request, variables: { 'body.1': 'customer' } });
    expect(test.stored[0]).toMatchObject({ id: request.messageId, status: 'FAILED' });
    expect(test.queued).toEqual([]);
  });
});
