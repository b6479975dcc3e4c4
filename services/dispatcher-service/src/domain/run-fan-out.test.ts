import { describe, expect, it } from 'vitest';
import type { AudienceMember, MessageDraft } from './message-draft.ts';
import { createRunFanOut } from './run-fan-out.ts';
import type { SendQueue } from './ports.ts';

const template = { name: 't', language: 'en', parameterFormat: 'POSITIONAL' as const, components: [{ type: 'BODY' as const, text: 'Hi {{1}}' }] };
const members: AudienceMember[] = Array.from({ length: 7 }, (_, index) => ({
  contactId: `c${index}`,
  phone: index === 3 ? 'not-a-phone' : `+9198765432${index}0`,
  variables: { 'body.1': `N${index}` },
}));
const request = { runId: '3f2a4a8e-0c1d-4b7e-9a55-2f7d1c0e9b10', campaignId: 'c', templateId: 't' };

function fakes(options: { failEnqueueAt?: number } = {}) {
  const stored = new Map<string, MessageDraft>();
  const queued = new Map<string, string[]>();
  const streamedFrom: Array<string | undefined> = [];
  let cursor: string | undefined;
  let done = false;
  let enqueues = 0;
  const queue: SendQueue = {
    async enqueue(_runId, batches) {
      enqueues += 1;
      if (enqueues === options.failEnqueueAt) throw new Error('NATS went away');
      for (const batch of batches) queued.set(batch.key, batch.messageIds);
    },
  };
  const fanOut = createRunFanOut({
    audience: {
      template: async () => template,
      async *audience(_runId, after) {
        streamedFrom.push(after);
        const rest = members.filter((member) => after === undefined || member.contactId > after);
        for (let start = 0; start < rest.length; start += 3) yield rest.slice(start, start + 3);
      },
    },
    store: {
      openRun: async () => ({ cursor, done }),
      async insertMessages(_run, _template, drafts) {
        let pending = 0;
        let failed = 0;
        for (const draft of drafts) {
          if (stored.has(draft.contactId)) continue;
          stored.set(draft.contactId, draft);
          if (draft.status === 'PENDING') pending += 1;
          else failed += 1;
        }
        return { pending, failed };
      },
      advanceCursor: async (_runId, contactId) => void (cursor = contactId),
      finishFanOut: async () => void (done = true),
    },
    queue,
    runs: { settle: async () => undefined },
    phoneNumberId: 'n1',
    sendBatchSize: 2,
  });
  return { fanOut, stored, queued, streamedFrom };
}

describe('createRunFanOut', () => {
  it('when a run fans out, then every member gets one stored message and every sendable one is queued once', async () => {
    const { fanOut, stored, queued } = fakes();
    expect(await fanOut(request)).toEqual({ alreadyDone: false });
    expect(stored.size).toBe(7);
    expect(stored.get('c3')).toMatchObject({ status: 'FAILED' });
    const queuedIds = [...queued.values()].flat();
    expect(queuedIds).toHaveLength(6);
    expect(new Set(queuedIds).size).toBe(6);
  });

  it('when the fan-out dies after storing a batch it could not queue, then the redelivery resumes at the cursor and queues the same batches', async () => {
    const { fanOut, stored, queued, streamedFrom } = fakes({ failEnqueueAt: 2 });
    await expect(fanOut(request)).rejects.toThrow('NATS went away');
    const keysBefore = new Set(queued.keys());
    expect(await fanOut(request)).toEqual({ alreadyDone: false });
    expect(streamedFrom).toEqual([undefined, 'c2']);
    expect(stored.size).toBe(7);
    expect([...queued.values()].flat().sort()).toEqual([...stored.values()].filter((draft) => draft.status === 'PENDING').map((draft) => draft.id).sort());
    for (const key of keysBefore) expect(queued.has(key)).toBe(true);
  });

  it('when the run was already fanned out, then the audience is not read again', async () => {
    const { fanOut, streamedFrom } = fakes();
    await fanOut(request);
    expect(await fanOut(request)).toEqual({ alreadyDone: true });
    expect(streamedFrom).toEqual([undefined]);
  });
});
