import type { Clock } from '@ektola/platform/clock';
import type { RunGuardrails } from '@ektola/platform/events';
import { nextWindowOpening, recipientZone } from '@ektola/platform/schedule';
import { draftMessage, type MessageDraft } from './message-draft.ts';
import type { AudienceSource, FanOutStore, NewRun, RunCompletion, SendQueue, StoredDrafts } from './ports.ts';

export interface FanOutOptions {
  audience: AudienceSource;
  store: FanOutStore;
  queue: SendQueue;
  runs: RunCompletion;
  phoneNumberId: string;
  sendBatchSize: number;
  clock: Clock;
  onStored?: (inserted: StoredDrafts) => void;
}

export interface RunRequest {
  runId: string;
  campaignId: string;
  templateId: string;
  guardrails?: RunGuardrails | undefined;
}

/**
 * A sendable draft due outside its run's send window is stored waiting for the window's next opening,
 * so it is not claimed (nor spends rate tokens) before then.
 */
export function heldBySendWindow(
  draft: MessageDraft,
  window: RunGuardrails['sendWindow'] | undefined,
  now: Date,
): MessageDraft {
  if (draft.status !== 'PENDING' || !window) return draft;
  const notBefore = nextWindowOpening(window, recipientZone(draft.timezone, window.timezone), now);
  return notBefore ? { ...draft, notBefore } : draft;
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
      guardrails: request.guardrails,
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
      const now = options.clock.now();
      const drafts = members.map((member) =>
        heldBySendWindow(draftMessage(run.id, template, member), run.guardrails?.sendWindow, now),
      );
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
