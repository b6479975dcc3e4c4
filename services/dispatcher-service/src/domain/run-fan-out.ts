import { draftMessage } from './message-draft.ts';
import type { AudienceSource, FanOutStore, NewRun, RunCompletion, SendQueue } from './ports.ts';

export interface FanOutOptions {
  audience: AudienceSource;
  store: FanOutStore;
  queue: SendQueue;
  runs: RunCompletion;
  phoneNumberId: string;
  sendBatchSize: number;
  onStored?: (inserted: { pending: number; failed: number }) => void;
}

export interface RunRequest {
  runId: string;
  campaignId: string;
  templateId: string;
}

/**
 * Turns a requested run into stored messages and queued send batches. Each audience batch is stored,
 * then queued, then the cursor moves past it; a fan-out killed anywhere resumes at the cursor, finds
 * its rows already there (ids derive from run and contact) and republishes the same msgIds, which
 * JetStream drops. Only then is the run marked fanned out, and only then may it complete.
 */
export function createRunFanOut(options: FanOutOptions) {
  const { audience, store, queue } = options;

  return async function fanOut(request: RunRequest): Promise<{ alreadyDone: boolean }> {
    const run: NewRun = {
      id: request.runId,
      campaignId: request.campaignId,
      templateId: request.templateId,
      phoneNumberId: options.phoneNumberId,
    };
    const opened = await store.openRun(run);
    if (opened.done) {
      await options.runs.settle([run.id]);
      return { alreadyDone: true };
    }
    const template = await audience.template(run.templateId);
    for await (const members of audience.audience(run.id, opened.cursor)) {
      if (members.length === 0) continue;
      const drafts = members.map((member) => draftMessage(run.id, template, member));
      const inserted = await store.insertMessages(run, template, drafts);
      options.onStored?.(inserted);
      const sendable = drafts.filter((draft) => draft.status === 'PENDING').map((draft) => draft.id);
      const batches: Array<{ key: string; messageIds: string[] }> = [];
      for (let start = 0; start < sendable.length; start += options.sendBatchSize) {
        const messageIds = sendable.slice(start, start + options.sendBatchSize);
        batches.push({ key: `${messageIds[0]}:${messageIds.length}`, messageIds });
      }
      await queue.enqueue(run.id, batches);
      await store.advanceCursor(run.id, members.at(-1)!.contactId);
    }
    await store.finishFanOut(run.id);
    await options.runs.settle([run.id]);
    return { alreadyDone: false };
  };
}
