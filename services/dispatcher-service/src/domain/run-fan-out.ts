import { draftMessage } from './message-draft.ts';
import type { AudienceSource, FanOutStore, NewRun, RunCompletion, SendQueue, StoredDrafts } from './ports.ts';

export interface FanOutOptions {
  audience: AudienceSource;
  store: FanOutStore;
  queue: SendQueue;
  runs: RunCompletion;
  phoneNumberId: string;
  sendBatchSize: number;
  onStored?: (inserted: StoredDrafts) => void;
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
 *
 * A cancelled run stops at the next audience batch: the batch being stored is stored SKIPPED and queued
 * nowhere, the rest of the audience is not read, and the run is marked fanned out so it can complete.
 */
export function createRunFanOut(options: FanOutOptions) {
  const { audience, store, queue } = options;

  return async function fanOut(request: RunRequest): Promise<{ alreadyDone: boolean; cancelled: boolean }> {
    const run: NewRun = {
      id: request.runId,
      campaignId: request.campaignId,
      templateId: request.templateId,
      phoneNumberId: options.phoneNumberId,
    };
    const opened = await store.openRun(run);
    if (opened.done) {
      await options.runs.settle([run.id]);
      return { alreadyDone: true, cancelled: opened.cancelled };
    }
    if (opened.cancelled) return finish(run.id, true);
    const template = await audience.template(run.templateId);
    for await (const members of audience.audience(run.id, opened.cursor)) {
      if (members.length === 0) continue;
      const drafts = members.map((member) => draftMessage(run.id, template, member));
      const inserted = await store.insertMessages(run, template, drafts);
      options.onStored?.(inserted);
      if (inserted.runCancelled) return finish(run.id, true);
      const sendable = drafts.filter((draft) => draft.status === 'PENDING').map((draft) => draft.id);
      const batches: Array<{ key: string; messageIds: string[] }> = [];
      for (let start = 0; start < sendable.length; start += options.sendBatchSize) {
        const messageIds = sendable.slice(start, start + options.sendBatchSize);
        batches.push({ key: `${messageIds[0]}:${messageIds.length}`, messageIds });
      }
      await queue.enqueue(run.id, batches);
      await store.advanceCursor(run.id, members.at(-1)!.contactId);
    }
    return finish(run.id, false);
  };

  async function finish(runId: string, cancelled: boolean) {
    await store.finishFanOut(runId);
    await options.runs.settle([runId]);
    return { alreadyDone: false, cancelled };
  }
}
