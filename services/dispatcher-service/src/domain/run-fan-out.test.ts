import { describe, expect, it } from 'vitest';
import type { AudienceMember, MessageDraft } from './message-draft.ts';
import { createRunFanOut, heldBySendWindow } from './run-fan-out.ts';
import { chooseSender } from '@ektola/platform/senders';
import type { AssignedDraft, SendQueue, StoredDrafts } from './ports.ts';

const template = {
  name: 't',
  language: 'en',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL' as const,
  components: [{ type: 'BODY' as const, text: 'Hi {{1}}' }],
};
const members: AudienceMember[] = Array.from({ length: 7 }, (_, index) => ({
  contactId: `c${index}`,
  phone: index === 3 ? 'not-a-phone' : `+9198765432${index}0`,
  variables: { 'body.1': `N${index}` },
}));
const request = { runId: '3f2a4a8e-0c1d-4b7e-9a55-2f7d1c0e9b10', campaignId: 'c', templateId: 't' };

function fakes(
  options: {
    failEnqueueAt?: number;
    failInsertAt?: number;
    cancelAfterInserts?: number;
    cancelledAtStart?: boolean;
    stopped?: string[];
    failRunStored?: boolean;
  } = {},
) {
  const stored = new Map<string, AssignedDraft>();
  const storedRuns: string[] = [];
  const warnings: unknown[] = [];
  const queued = new Map<string, string[]>();
  const streamedFrom: Array<string | undefined> = [];
  let cursor: string | undefined;
  let done = false;
  let cancelled = options.cancelledAtStart ?? false;
  let inserts = 0;
  let enqueues = 0;
  let batchesRead = 0;
  let streamClosed = false;
  let swept = 0;
  /** How many audience batches were read when each insert finished. */
  const readWhenStored: number[] = [];
  const queue: SendQueue = {
    async enqueue(_runId, batches) {
      enqueues += 1;
      if (enqueues === options.failEnqueueAt) throw new Error('NATS went away');
      for (const batch of batches) queued.set(batch.key, batch.messageIds);
    },
  };
  const fanOut = createRunFanOut({
    clock: { now: () => new Date('2030-01-02T10:00:00Z') },
    audience: {
      template: async () => template,
      async *audience(_runId, after) {
        streamedFrom.push(after);
        const rest = members.filter((member) => after === undefined || member.contactId > after);
        try {
          for (let start = 0; start < rest.length; start += 3) {
            batchesRead += 1;
            yield rest.slice(start, start + 3);
          }
        } finally {
          streamClosed = true;
        }
      },
    },
    store: {
      openRun: async () => ({ cursor, done, cancelled }),
      async insertMessages(_run, _template, drafts, queuedThrough) {
        if (queuedThrough !== undefined) cursor = queuedThrough;
        inserts += 1;
        if (inserts === options.failInsertAt) throw new Error('PostgreSQL went away');
        await new Promise((resolve) => setImmediate(resolve));
        readWhenStored.push(batchesRead);
        if (inserts === options.cancelAfterInserts) cancelled = true;
        let pending = 0;
        let failed = 0;
        let skipped = 0;
        for (const draft of drafts) {
          if (stored.has(draft.contactId)) continue;
          stored.set(draft.contactId, {
            ...draft,
            status: cancelled && draft.status === 'PENDING' ? 'SKIPPED' : draft.status,
          } as AssignedDraft);
          if (cancelled && draft.status === 'PENDING') skipped += 1;
          else if (draft.status === 'PENDING') pending += 1;
          else failed += 1;
        }
        return { pending, failed, skipped: skipped > 0 ? { run_cancelled: skipped } : {}, runCancelled: cancelled };
      },
      async skipPendingOfCancelledRun() {
        swept += 1;
        for (const [contactId, draft] of stored)
          if (draft.status === 'PENDING')
            stored.set(contactId, { ...draft, status: 'SKIPPED' } as unknown as AssignedDraft);
      },
      finishFanOut: async () => void (done = true),
      async runStored(runId) {
        storedRuns.push(runId);
        if (options.failRunStored) throw new Error('statement timeout');
      },
    },
    queue,
    runs: { settle: async () => undefined },
    senders: { sending: async (ids) => new Set(ids.filter((id) => !options.stopped?.includes(id))) },
    phoneNumberId: 'n1',
    sendBatchSize: 2,
    logger: { warn: (details: unknown) => void warnings.push(details) },
  });
  return {
    fanOut,
    stored,
    queued,
    streamedFrom,
    readWhenStored,
    storedRuns,
    warnings,
    isDone: () => done,
    isStreamClosed: () => streamClosed,
    sweeps: () => swept,
  };
}

describe('createRunFanOut', () => {
  it('when a run fans out, then every member gets one stored message and every sendable one is queued once', async () => {
    const { fanOut, stored, queued } = fakes();
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: false });
    expect(stored.size).toBe(7);
    expect(stored.get('c3')).toMatchObject({ status: 'FAILED' });
    const queuedIds = [...queued.values()].flat();
    expect(queuedIds).toHaveLength(6);
    expect(new Set(queuedIds).size).toBe(6);
  });

  it('when a run is fanned out, then the store hears once that its messages are stored; when that fails, the fan-out still finishes and the failure is logged', async () => {
    const { fanOut, storedRuns, warnings, isDone } = fakes({ failRunStored: true });
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: false });
    expect(isDone()).toBe(true);
    expect(storedRuns).toEqual([request.runId]);
    expect(warnings).toEqual([
      expect.objectContaining({ runId: request.runId, err: expect.objectContaining({ message: 'statement timeout' }) }),
    ]);
    // A redelivery of a run already fanned out stores nothing, and so tells nothing again.
    expect(await fanOut(request)).toEqual({ alreadyDone: true, cancelled: false });
    expect(storedRuns).toEqual([request.runId]);
  });

  it('when the fan-out dies after storing a batch it could not queue, then the redelivery resumes at the cursor and queues the same batches', async () => {
    const { fanOut, stored, queued, streamedFrom } = fakes({ failEnqueueAt: 2 });
    await expect(fanOut(request)).rejects.toThrow('NATS went away');
    const keysBefore = new Set(queued.keys());
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: false });
    expect(streamedFrom).toEqual([undefined, 'c2']);
    expect(stored.size).toBe(7);
    expect([...queued.values()].flat().sort()).toEqual(
      [...stored.values()]
        .filter((draft) => draft.status === 'PENDING')
        .map((draft) => draft.id)
        .sort(),
    );
    for (const key of keysBefore) expect(queued.has(key)).toBe(true);
  });

  it('when a batch is being stored, then the next one is read and drafted meanwhile', async () => {
    const { fanOut, readWhenStored } = fakes();
    await fanOut(request);
    // Batches of three of seven members: the second was read before the first was stored, and so on.
    expect(readWhenStored).toEqual([2, 3, 3]);
  });

  it('when storing a batch fails, then the fan-out fails and the audience stream is closed', async () => {
    const { fanOut, queued, isStreamClosed } = fakes({ failInsertAt: 2 });
    await expect(fanOut(request)).rejects.toThrow('PostgreSQL went away');
    expect([...queued.values()].flat()).toHaveLength(3);
    expect(isStreamClosed()).toBe(true);
  });

  it('when the run was already fanned out, then the audience is not read again', async () => {
    const { fanOut, streamedFrom, sweeps } = fakes();
    await fanOut(request);
    expect(sweeps()).toBe(0);
    expect(await fanOut(request)).toEqual({ alreadyDone: true, cancelled: false });
    expect(streamedFrom).toEqual([undefined]);
  });

  it('when the run is cancelled during the fan-out, then the batch being stored is queued nowhere, the rest of the audience is not read and the run is fanned out', async () => {
    const { fanOut, stored, queued, isDone, sweeps } = fakes({ cancelAfterInserts: 2 });
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: true });
    expect(sweeps()).toBe(1);
    // Members of the first batch (c0-c2) were queued before the cancel; the second (c3-c5) is stored SKIPPED, c6 never read.
    expect([...stored.keys()]).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(stored.get('c4')).toMatchObject({ status: 'SKIPPED' });
    expect([...queued.values()].flat()).toHaveLength(3);
    expect(isDone()).toBe(true);
  });

  it('when run.requested arrives for a run already cancelled, then no audience is read and the run is fanned out with nothing to send', async () => {
    const { fanOut, stored, streamedFrom, isDone, sweeps } = fakes({ cancelledAtStart: true });
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: true });
    // A fan-out that failed after the cancel may have left PENDING messages: the redelivery settles them.
    expect(sweeps()).toBe(1);
    expect(stored.size).toBe(0);
    expect(streamedFrom).toEqual([]);
    expect(isDone()).toBe(true);
  });
});

/**
 * A fan-out storing up to `storesInFlight` batches at once of twelve members in batches of two. Each
 * insert takes `delayOf(n)` ms (n counts inserts from 1) and answers `answerOf(n)`; what was queued,
 * in order, and what each insert saw are recorded.
 */
function concurrentFakes(options: {
  storesInFlight: number;
  delayOf: (insert: number) => number;
  answerOf?: (insert: number, pending: number) => StoredDrafts | Error;
}) {
  const audienceMembers = Array.from({ length: 12 }, (_, index) => ({
    contactId: `c${String(index).padStart(2, '0')}`,
    phone: `+919876543${String(index).padStart(3, '0')}`,
    variables: { 'body.1': `N${index}` },
  }));
  const queuedContacts: string[] = [];
  const contactOf = new Map<string, string>();
  const settled: number[] = [];
  let inserts = 0;
  let inFlight = 0;
  let movingCursor = 0;
  const seen = {
    maxInFlight: 0,
    maxMovingCursor: 0,
    cursorsWritten: [] as string[],
    cursorsAhead: [] as string[],
    batchesRead: 0,
    sweeps: 0,
  };
  const fanOut = createRunFanOut({
    clock: { now: () => new Date('2030-01-02T10:00:00Z') },
    audience: {
      template: async () => template,
      async *audience() {
        for (let start = 0; start < audienceMembers.length; start += 2) {
          seen.batchesRead += 1;
          yield audienceMembers.slice(start, start + 2);
        }
      },
    },
    store: {
      openRun: async () => ({ cursor: undefined, done: false, cancelled: false }),
      async insertMessages(_run, _template, drafts, queuedThrough) {
        const insert = (inserts += 1);
        // The cursor an insert writes covers batches already queued, and only those.
        if (queuedThrough !== undefined) seen.cursorsWritten.push(queuedThrough);
        if (queuedThrough !== undefined && !queuedContacts.includes(queuedThrough))
          seen.cursorsAhead.push(queuedThrough);
        for (const draft of drafts) contactOf.set(draft.id, draft.contactId);
        inFlight += 1;
        if (queuedThrough !== undefined) movingCursor += 1;
        seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
        seen.maxMovingCursor = Math.max(seen.maxMovingCursor, movingCursor);
        await new Promise((resolve) => setTimeout(resolve, options.delayOf(insert)));
        inFlight -= 1;
        if (queuedThrough !== undefined) movingCursor -= 1;
        settled.push(insert);
        const answer = options.answerOf?.(insert, drafts.length) ?? {
          pending: drafts.length,
          failed: 0,
          skipped: {},
          runCancelled: false,
        };
        if (answer instanceof Error) throw answer;
        return answer;
      },
      skipPendingOfCancelledRun: async () => void (seen.sweeps += 1),
      finishFanOut: async () => undefined,
      runStored: async () => undefined,
    },
    queue: {
      async enqueue(_runId, batches) {
        for (const batch of batches) queuedContacts.push(...batch.messageIds.map((id) => contactOf.get(id)!));
      },
    },
    runs: { settle: async () => undefined },
    senders: { sending: async (ids) => new Set(ids) },
    phoneNumberId: 'n1',
    sendBatchSize: 2,
    storesInFlight: options.storesInFlight,
    logger: { warn: () => undefined },
  });
  return { fanOut, queuedContacts, settled, seen, contacts: audienceMembers.map((member) => member.contactId) };
}

describe('createRunFanOut storing batches at once', () => {
  it('when three batches may be stored at once, then three are, they are queued in audience order however they finish, and the cursor moves in one statement at a time over queued batches only', async () => {
    // Later batches finish first: the sixth insert in 1 ms, the first in 12.
    const { fanOut, queuedContacts, seen, contacts } = concurrentFakes({
      storesInFlight: 3,
      delayOf: (insert) => 2 * (7 - insert),
    });
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: false });
    expect(queuedContacts).toEqual(contacts);
    expect(seen.maxInFlight).toBe(3);
    expect(seen.maxMovingCursor).toBe(1);
    expect(seen.cursorsAhead).toEqual([]);
  });

  it('when one batch may be stored at a time, then the next is only stored once the one before is queued, and each insert moves the cursor over the batch before it', async () => {
    const { fanOut, queuedContacts, seen, contacts } = concurrentFakes({ storesInFlight: 1, delayOf: () => 1 });
    await fanOut(request);
    expect(queuedContacts).toEqual(contacts);
    expect(seen.maxInFlight).toBe(1);
    expect(seen.cursorsWritten).toEqual(['c01', 'c03', 'c05', 'c07', 'c09']);
  });

  it('when a batch sees the cancel, then neither it nor the batch stored beside it is queued, nothing after them is stored, the run’s PENDING messages are skipped and the run ends cancelled', async () => {
    const { fanOut, queuedContacts, settled, seen } = concurrentFakes({
      storesInFlight: 2,
      delayOf: () => 1,
      // The third insert moves the cursor: it waited on the run's row and saw the cancel. The fourth, beside
      // it, began before the cancel committed and stored its messages PENDING.
      answerOf: (insert, size) =>
        insert === 3
          ? { pending: 0, failed: 0, skipped: { run_cancelled: size }, runCancelled: true }
          : { pending: size, failed: 0, skipped: {}, runCancelled: false },
    });
    expect(await fanOut(request)).toEqual({ alreadyDone: false, cancelled: true });
    expect(seen.cursorsWritten).toEqual(['c01']);
    expect(queuedContacts).toEqual(['c00', 'c01', 'c02', 'c03']);
    expect(settled).toEqual([1, 2, 3, 4]);
    expect(seen.sweeps).toBe(1);
  });

  it('when storing a batch fails while another is being stored, then the fan-out fails once the other has finished', async () => {
    const { fanOut, settled } = concurrentFakes({
      storesInFlight: 2,
      delayOf: (insert) => (insert === 1 ? 1 : 20),
      answerOf: (insert) => (insert === 1 ? new Error('PostgreSQL went away') : undefined!),
    });
    await expect(fanOut(request)).rejects.toThrow('PostgreSQL went away');
    expect(settled).toEqual([1, 2]);
  });
});

describe('createRunFanOut with senders', () => {
  const senders = [
    { phoneNumberId: 'a', weight: 80 },
    { phoneNumberId: 'b', weight: 80 },
    { phoneNumberId: 'c', weight: 1000 },
  ];

  it('when a run names no senders, then every message goes out from the default number', async () => {
    const { fanOut, stored } = fakes();
    await fanOut(request);
    expect(new Set([...stored.values()].map((draft) => draft.phoneNumberId))).toEqual(new Set(['n1']));
  });

  it('when a run names senders, then each contact gets the number chosen for it among them', async () => {
    const { fanOut, stored } = fakes();
    await fanOut({ ...request, senders });
    for (const draft of stored.values())
      expect(draft.phoneNumberId).toBe(chooseSender(draft.contactId, senders).phoneNumberId);
  });

  it('when one of the senders does not send, then its contacts go to the others and the rest keep theirs', async () => {
    const { fanOut, stored } = fakes({ stopped: ['c'] });
    await fanOut({ ...request, senders });
    for (const draft of stored.values()) {
      expect(draft.phoneNumberId).not.toBe('c');
      const first = chooseSender(draft.contactId, senders).phoneNumberId;
      if (first !== 'c') expect(draft.phoneNumberId).toBe(first);
    }
  });

  it('when none of the senders sends, then the choice is made over all of them (the messages wait for their number)', async () => {
    const { fanOut, stored } = fakes({ stopped: ['a', 'b', 'c'] });
    await fanOut({ ...request, senders });
    for (const draft of stored.values())
      expect(draft.phoneNumberId).toBe(chooseSender(draft.contactId, senders).phoneNumberId);
  });
});

describe('heldBySendWindow', () => {
  const window = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5], timezone: 'Asia/Kolkata' };
  const draft = (timezone: string | undefined): MessageDraft => ({
    id: 'm1',
    contactId: 'c1',
    phone: '+919876543210',
    components: [],
    timezone,
    status: 'PENDING',
  });
  // Wednesday 2030-01-02 06:00 in Kolkata, 01:30 in London.
  const now = new Date('2030-01-02T00:30:00Z');

  it('when a sendable draft is due before its window opens, then it is held until the opening in the campaign zone', () => {
    expect(heldBySendWindow(draft(undefined), window, now)).toMatchObject({
      notBefore: new Date('2030-01-02T03:30:00Z'),
    });
  });

  it('when the contact has its own zone, then the window opens in that zone', () => {
    expect(heldBySendWindow(draft('Europe/London'), window, now)).toMatchObject({
      notBefore: new Date('2030-01-02T09:00:00Z'),
    });
  });

  it('when the window is open, the run has none, or the draft already FAILED, then nothing is held', () => {
    const open = new Date('2030-01-02T05:00:00Z');
    expect(heldBySendWindow(draft(undefined), window, open)).not.toHaveProperty('notBefore');
    expect(heldBySendWindow(draft(undefined), null, now)).not.toHaveProperty('notBefore');
    const failed: MessageDraft = { ...draft(undefined), status: 'FAILED', errorMessage: 'no phone' };
    expect(heldBySendWindow(failed, window, now)).toBe(failed);
  });
});
