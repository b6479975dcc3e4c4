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
  /** Audience batches stored at once, each in a statement of its own; 1 when not given. */
  storesInFlight?: number;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  onStored?: (inserted: StoredDrafts) => void;
}

interface DraftedBatch {
  drafts: Array<MessageDraft & { phoneNumberId: string }>;
  /** The batch's last contact: the cursor once the batch is queued. */
  last: string;
}

/** An audience batch being stored, and the cursor its statement moves, if it moves it. */
interface Storing {
  batch: DraftedBatch;
  stored: Promise<StoredDrafts>;
  cursor: string | undefined;
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
 * then queued, and the cursor moves past it with a later batch's insert (one statement and one commit
 * fewer per batch than a write of its own). Up to `storesInFlight` batches are stored at once, each in
 * its own statement, and queued in audience order as they are stored; the next batch is read and
 * drafted meanwhile, so the dispatcher's work and the database's overlap. The cursor only ever covers
 * batches stored and queued. A fan-out killed anywhere resumes at the cursor, finds its rows already
 * there (ids derive from run and contact) and republishes the same msgIds, which JetStream drops. Only
 * then is the run marked fanned out, and only then may it complete.
 *
 * Each message goes out from one of the run's senders, chosen per contact among those that send now
 * (see assignSender); a number the dispatcher has not heard of yet sends.
 *
 * A cancelled run stops once a batch's statement sees the cancel: that batch is stored SKIPPED, it and
 * the batches stored beside it are queued nowhere, the rest of the audience is not stored (nor read, past
 * the batch drafted meanwhile), the run's messages still PENDING are skipped, and the run is marked
 * fanned out so it can complete.
 */
export function createRunFanOut(options: FanOutOptions) {
  const { audience, store, queue } = options;
  const storesInFlight = options.storesInFlight ?? 1;

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
    const draftNext = async (): Promise<DraftedBatch | undefined> => {
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

    // The last contact of the batches queued so far, in audience order: the cursor an insert writes.
    let queuedThrough: string | undefined;
    let cursorStored = opened.cursor;
    const storing: Storing[] = [];

    const queueSendable = async (batch: DraftedBatch) => {
      const sendable = batch.drafts.filter((draft) => draft.status === 'PENDING').map((draft) => draft.id);
      const batches: Array<{ key: string; messageIds: string[] }> = [];
      for (let start = 0; start < sendable.length; start += options.sendBatchSize) {
        const messageIds = sendable.slice(start, start + options.sendBatchSize);
        batches.push({ key: `${messageIds[0]}:${messageIds.length}`, messageIds });
      }
      await queue.enqueue(run.id, batches);
    };
    /** The oldest batch in flight once stored, its cursor taken in. */
    const storedOldest = async () => {
      const oldest = storing.shift()!;
      const inserted = await oldest.stored;
      if (oldest.cursor !== undefined) cursorStored = oldest.cursor;
      options.onStored?.(inserted);
      return { batch: oldest.batch, inserted };
    };

    try {
      let next = await draftNext();
      while (next || storing.length > 0) {
        while (next && storing.length < storesInFlight) {
          // At most one statement in flight moves the cursor: each such statement updates the run's row, and
          // a second one would wait on the first's lock.
          const cursorMoving = storing.some((entry) => entry.cursor !== undefined);
          const cursor = !cursorMoving && queuedThrough !== cursorStored ? queuedThrough : undefined;
          const stored = store.insertMessages(run, template, next.drafts, cursor);
          // Met in order below; failing meanwhile is no unhandled rejection.
          stored.catch(() => undefined);
          storing.push({ batch: next, stored, cursor });
          // The next batch is read and drafted while these are stored.
          next = await draftNext();
        }
        const { batch, inserted } = await storedOldest();
        if (inserted.runCancelled) {
          // The batches stored beside it are queued nowhere; finish settles what they stored PENDING.
          while (storing.length > 0) await storedOldest();
          return await finish(run.id, true);
        }
        await queueSendable(batch);
        queuedThrough = batch.last;
      }
    } finally {
      // Nothing of this fan-out is still being written once it ends (a failure's redelivery starts over at
      // the cursor), and the audience stream stops when it ends early.
      await Promise.allSettled(storing.map((entry) => entry.stored));
      await members.return?.();
    }
    return finish(run.id, false);
  };

  async function finish(runId: string, cancelled: boolean) {
    // Once none of this fan-out's statements is running: a batch whose statement began before the cancel
    // committed may hold PENDING messages the cancel did not see, some of which no claim would reach
    // (waiting for a send window, a number or a template). A redelivered request of a cancelled run gets
    // here too, so a fan-out that failed after the cancel leaves none either.
    if (cancelled) await store.skipPendingOfCancelledRun(runId);
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
