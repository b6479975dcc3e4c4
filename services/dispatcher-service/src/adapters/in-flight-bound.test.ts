import { describe, expect, it } from 'vitest';
import type { ClaimedMessage, SendResult } from '../domain/ports.ts';
import { boundInFlight } from './in-flight-bound.ts';

const message = (id: string) => ({ id }) as ClaimedMessage;

/** A Cloud API whose calls stay open until the test answers them. */
function heldApi() {
  const open: Array<{ id: string; answer: () => void }> = [];
  let most = 0;
  return {
    open,
    most: () => most,
    api: {
      send: (sent: ClaimedMessage) =>
        new Promise<SendResult>((resolve) => {
          open.push({ id: sent.id, answer: () => resolve({ kind: 'accepted', wamid: `w-${sent.id}`, probe: false }) });
          most = Math.max(most, open.length);
        }),
    },
  };
}

describe('boundInFlight', () => {
  it('keeps at most as many calls open as there are connections, and lets the next go when one ends', async () => {
    const held = heldApi();
    const bounded = boundInFlight(held.api, 2);
    const results = ['a', 'b', 'c'].map((id) => bounded.send(message(id)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.open.map((call) => call.id)).toEqual(['a', 'b']);
    held.open.shift()!.answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.open.map((call) => call.id)).toEqual(['b', 'c']);
    held.open.splice(0).forEach((call) => call.answer());
    expect((await Promise.all(results)).map((result) => result.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(held.most()).toBe(2);
  });

  it('refuses, unsent, a send whose rate slot ended while it waited for a connection', async () => {
    const held = heldApi();
    const bounded = boundInFlight(held.api, 1);
    const first = bounded.send(message('a'));
    const late = bounded.send(message('b'), performance.now() + 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.open.shift()!.answer();
    expect((await first).kind).toBe('accepted');
    expect(await late).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/every connection was busy/) });
    expect(held.open).toHaveLength(0);
  });
});
