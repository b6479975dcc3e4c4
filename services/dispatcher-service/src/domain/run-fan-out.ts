import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';
import type { RunGuardrails, RunSender } from '@ektola/platform/events';
import { nextWindowOpening, recipientZone } from '@ektola/platform/schedule';
import { draftMessage, type MessageDraft } from './message-draft.ts';
import type {
  AudienceSource,
  FanOutStore,
  NewRun,
  RunCompletion,
  SenderStates,
  SendQueue,
  StoredDrafts,
} from './ports.ts';
import { assignSender, sendersOfRun } from './sender-assignment.ts';

export interface FanOutOptions {
  audience: AudienceSource;
  store: FanOutStore;
  queue: SendQueue;
  runs: RunCompletion;
  senders: SenderStates;
  /** The number that sends a run which names no senders. */
  phoneNumberId: string;
  sendBatchSize: number;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  onStored?: (inserted: StoredDrafts) => void;
}

export interface RunRequest {
  runId: string;
  campaignId: string;
  templateId: string;
  guardrails?: RunGuardrails | undefined;
  senders?: RunSender[] | undefined;
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
 * then queued, and the cursor moves past it with the next batch's insert (one statement and one commit
 * fewer per batch than a write of its own). The next batch is read and drafted while one is stored,
 * so the dispatcher's work and the database's overlap. A fan-out killed anywhere resumes at the cursor, finds
 * its rows already there (ids derive from run and contact) and republishes the same msgIds, which
 * JetStream drops. Only then is the run marked fanned out, and only then may it complete.
 *
 * Each message goes out from one of the run's senders, chosen per contact among those that send now
 * (see assignSender); a number the dispatcher has not heard of yet sends.
 *
 * A cancelled run stops at the next audience batch: the batch being stored is stored SKIPPED and queued
 * nowhere, the rest of the audience is not stored (nor read, past the batch drafted meanwhile), and the
 * run is marked fanned out so it can complete.
 */
export function createRunFanOut(options: FanOutOptions) {
  const { audience, store, queue } = options;

  return async function fanOut(request: RunRequest): Promise<{ alreadyDone: boolean; cancelled: boolean }> {
    const run: NewRun = {
      id: request.runId,
      campaignId: request.campaignId,
      templateId: request.templateId,
      phoneNumberId: request.senders?.[0]?.phoneNumberId ?? options.phoneNumberId,
      senders: request.senders,
      guardrails: request.guardrails,
    };
    const runSenders = sendersOfRun(run.phoneNumberId, run.senders);
    const opened = await store.openRun(run);
    if (opened.done) {
      await options.runs.settle([run.id]);
      return { alreadyDone: true, cancelled: opened.cancelled };
    }
    if (opened.cancelled) return finish(run.id, true);
    const template = await audience.template(run.templateId);
    const members = audience.audience(run.id, opened.cursor)[Symbol.asyncIterator]();

    /** The next non-empty audience batch, drafted, with its last contact; undefined at the end. */
    const draftNext = async () => {
      for (let next = await members.next(); !next.done; next = await members.next()) {
        if (next.value.length === 0) continue;
        const now = options.clock.now();
        // Read per batch: a number stopped during a long fan-out gets none of the contacts after it.
        const sending = await options.senders.sending(runSenders.map((sender) => sender.phoneNumberId));
        const drafts = next.value.map((member) => ({
          ...heldBySendWindow(draftMessage(run.id, template, member), run.guardrails?.sendWindow, now),
          phoneNumberId: assignSender(member.contactId, runSenders, sending),
        }));
        return { drafts, last: next.value.at(-1)!.contactId };
      }
      return undefined;
    };

    // The last contact of the batches queued so far: the cursor the next insert writes.
    let queuedThrough: string | undefined;
    let following: ReturnType<typeof draftNext> | undefined;
    try {
      for (let batch = await draftNext(); batch; batch = await following) {
        const storing = store.insertMessages(run, template, batch.drafts, queuedThrough);
        // The next batch is read and drafted while this one is stored; its failure is met when awaited.
        following = draftNext();
        following.catch(() => undefined);
        const inserted = await storing;
        options.onStored?.(inserted);
        if (inserted.runCancelled) return await finish(run.id, true);
        const sendable = batch.drafts.filter((draft) => draft.status === 'PENDING').map((draft) => draft.id);
        const batches: Array<{ key: string; messageIds: string[] }> = [];
        for (let start = 0; start < sendable.length; start += options.sendBatchSize) {
          const messageIds = sendable.slice(start, start + options.sendBatchSize);
          batches.push({ key: `${messageIds[0]}:${messageIds.length}`, messageIds });
        }
        await queue.enqueue(run.id, batches);
        queuedThrough = batch.last;
      }
    } finally {
      // Stops the audience stream when the fan-out ends early (a cancel, a failure); after the batch
      // being read, which the iterator finishes first.
      await following?.catch(() => undefined);
      await members.return?.();
    }
    return finish(run.id, false);
  };

  async function finish(runId: string, cancelled: boolean) {
    await store.finishFanOut(runId);
    await options.runs.settle([runId]);
    // The run is fanned out whatever this answers: a store that could not take in the run's size plans
    // its reads as before, and its housekeeping gets there later.
    await store
      .runStored(runId)
      .catch((error: unknown) =>
        options.logger.warn({ err: error, runId }, 'run fanned out; the store could not take in its size'),
      );
    return { alreadyDone: false, cancelled };
  }
}
