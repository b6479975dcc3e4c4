import { describe, expect, it } from 'vitest';
import { createFanOutFirst } from './fan-out-first.ts';

/** Work that stays open until the test ends it, recording which pieces have started. */
function heldWork() {
  const started: string[] = [];
  const ends = new Map<string, () => void>();
  return {
    started,
    piece: (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        ends.set(name, () => resolve(name));
      }),
    end: (name: string) => ends.get(name)!(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createFanOutFirst', () => {
  it('sends as many batches at once as it is given while no fan-out runs', async () => {
    const work = heldWork();
    const room = createFanOutFirst({ sendConcurrency: 3, whileFanningOut: 1 });
    const sends = ['a', 'b', 'c', 'd'].map((name) => room.send(work.piece(name)));
    await settle();
    expect(work.started).toEqual(['a', 'b', 'c']);
    work.end('a');
    await settle();
    expect(work.started).toEqual(['a', 'b', 'c', 'd']);
    ['b', 'c', 'd'].forEach(work.end);
    expect(await Promise.all(sends)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends fewer at once while a fan-out runs, and all of them again once it is stored', async () => {
    const work = heldWork();
    const room = createFanOutFirst({ sendConcurrency: 3, whileFanningOut: 1 });
    const fanOut = room.fanOut(work.piece('fan-out'));
    const sends = ['a', 'b', 'c'].map((name) => room.send(work.piece(name)));
    await settle();
    expect(work.started).toEqual(['fan-out', 'a']);
    work.end('a');
    await settle();
    expect(work.started).toEqual(['fan-out', 'a', 'b']);
    work.end('fan-out');
    expect(await fanOut).toBe('fan-out');
    work.end('b');
    await settle();
    expect(work.started).toEqual(['fan-out', 'a', 'b', 'c']);
    work.end('c');
    expect(await Promise.all(sends)).toEqual(['a', 'b', 'c']);
  });

  it('keeps sending narrow until the last of two fan-outs ends, even when one fails', async () => {
    const work = heldWork();
    const counts: number[] = [];
    const room = createFanOutFirst({
      sendConcurrency: 2,
      whileFanningOut: 1,
      onFanOuts: (count) => counts.push(count),
    });
    const failing = room.fanOut(() => Promise.reject(new Error('campaign-service away')));
    const lasting = room.fanOut(work.piece('second'));
    await expect(failing).rejects.toThrow('campaign-service away');
    const sends = ['a', 'b'].map((name) => room.send(work.piece(name)));
    await settle();
    expect(work.started).toEqual(['second', 'a']);
    work.end('second');
    await lasting;
    work.end('a');
    await settle();
    expect(work.started).toEqual(['second', 'a', 'b']);
    work.end('b');
    await Promise.all(sends);
    expect(counts).toEqual([1, 2, 1, 0]);
  });

  it('never sends more at once during a fan-out than at other times', async () => {
    const work = heldWork();
    const room = createFanOutFirst({ sendConcurrency: 2, whileFanningOut: 5 });
    void room.fanOut(work.piece('fan-out'));
    ['a', 'b', 'c'].forEach((name) => void room.send(work.piece(name)));
    await settle();
    expect(work.started).toEqual(['fan-out', 'a', 'b']);
  });
});
