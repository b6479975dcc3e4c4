import { describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../domain/batch-sender.ts';
import type { CloudApiCircuit } from '../domain/ports.ts';
import { createFanOutFirst } from './fan-out-first.ts';
import { sendInTurn } from './send-consumer.ts';

const closedCircuit = { untilSendable: async () => undefined } as unknown as CloudApiCircuit;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('sendInTurn', () => {
  it('when a batch waiting behind a fan-out gets its turn after a stop began, then it is handed back unclaimed', async () => {
    const fanOutFirst = createFanOutFirst({ sendConcurrency: 2, whileFanningOut: 1 });
    const sent: string[] = [];
    const ends: Array<() => void> = [];
    const sendBatch = (runId: string) =>
      new Promise<BatchOutcome>((resolve) => {
        sent.push(runId);
        ends.push(() => resolve({ kind: 'done' }));
      });
    const stopping = new AbortController();
    let endFanOut!: () => void;
    void fanOutFirst.fanOut(() => new Promise<void>((resolve) => (endFanOut = resolve)));

    const first = sendInTurn({ fanOutFirst, circuit: closedCircuit, sendBatch }, stopping.signal, 'run-a', ['m1']);
    const second = sendInTurn({ fanOutFirst, circuit: closedCircuit, sendBatch }, stopping.signal, 'run-b', ['m2']);
    await settle();
    expect(sent).toEqual(['run-a']);

    stopping.abort();
    ends[0]!();
    expect(await first).toEqual({ kind: 'done' });
    expect(await second).toEqual({ kind: 'later', delayMs: 0, reason: 'the dispatcher is stopping' });
    expect(sent).toEqual(['run-a']);
    endFanOut();
  });

  it('when no stop began, then a batch waiting behind a fan-out is sent in its turn', async () => {
    const fanOutFirst = createFanOutFirst({ sendConcurrency: 2, whileFanningOut: 1 });
    const sent: string[] = [];
    const sendBatch = async (runId: string): Promise<BatchOutcome> => {
      sent.push(runId);
      return { kind: 'done' };
    };
    let endFanOut!: () => void;
    void fanOutFirst.fanOut(() => new Promise<void>((resolve) => (endFanOut = resolve)));
    const signal = new AbortController().signal;
    const outcomes = await Promise.all([
      sendInTurn({ fanOutFirst, circuit: closedCircuit, sendBatch }, signal, 'run-a', ['m1']),
      sendInTurn({ fanOutFirst, circuit: closedCircuit, sendBatch }, signal, 'run-b', ['m2']),
    ]);
    expect(outcomes).toEqual([{ kind: 'done' }, { kind: 'done' }]);
    expect(sent).toEqual(['run-a', 'run-b']);
    endFanOut();
  });
});
