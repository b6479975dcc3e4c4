import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, reminder, startSimulator, type Started } from './support.ts';

const main = '106540352242922';
const other = '106540352240001';
let sim: Started | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const start = (deps = {}) =>
  startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0', SIMULATOR_EXTRA_PHONE_NUMBER_IDS: other }, deps);

describe('faults per phone number', () => {
  it('when requests hang, then the client gives up without an answer while other numbers still answer', async () => {
    sim = await start();
    expect((await sim.admin('PUT', `/_sim/faults/${main}`, { hang: { rate: 1 } })).status).toBe(200);
    await expect(sim.send(reminder('919855555501'), { signal: AbortSignal.timeout(300) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect((await sim.send(reminder('919855555502'), { phoneNumberId: other })).status).toBe(200);
  });

  it('when the number is down with connections refused, then the connection closes with no answer', async () => {
    sim = await start();
    await sim.admin('PUT', `/_sim/faults/${main}`, { outage: { mode: 'refused' } });
    await expect(sim.send(reminder('919855555503'))).rejects.toThrow(/fetch failed/);
    await sim.admin('DELETE', `/_sim/faults/${main}`);
    expect((await sim.send(reminder('919855555504'))).status).toBe(200);
  });

  it('when latency is added, then the answer comes no sooner than its minimum and is still the normal one', async () => {
    sim = await start();
    await sim.admin('PUT', `/_sim/faults/${main}`, { latency: { minMs: 150, maxMs: 200 } });
    const startedAt = performance.now();
    expect((await sim.send(reminder('919855555505'))).status).toBe(200);
    // Only the lower bound: a slow machine may add time, never take the simulated latency away.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(150);
  });

  it('when an outage has a duration, then it ends by itself', async () => {
    const clock = manualClock();
    sim = await start({ clock });
    await sim.admin('PUT', `/_sim/faults/${main}`, { outage: { mode: '5xx', code: 131016 }, durationMs: 60_000 });
    expect((await sim.admin('GET', '/_sim/faults')).body.faults[main]).toMatchObject({ remainingMs: 60_000 });
    expect((await sim.send(reminder('919855555506'))).status).toBe(503);
    clock.advance(60_000);
    expect((await sim.send(reminder('919855555507'))).status).toBe(200);
    expect((await sim.admin('GET', '/_sim/faults')).body.faults).toEqual({});
  });

  it('when a fault is set on *, then every number has it until cleared', async () => {
    sim = await start();
    await sim.admin('PUT', '/_sim/faults/*', { errors: { rate: 1, code: 131057 } });
    expect((await sim.send(reminder('919855555508'))).body.error.code).toBe(131057);
    expect((await sim.send(reminder('919855555509'), { phoneNumberId: other })).status).toBe(503);
    await sim.admin('DELETE', '/_sim/faults');
    expect((await sim.send(reminder('919855555510'))).status).toBe(200);
  });

  it('refuses a fault for an unknown number or with unknown fields', async () => {
    sim = await start();
    expect((await sim.admin('PUT', '/_sim/faults/123', { hang: {} })).status).toBe(404);
    expect((await sim.admin('PUT', `/_sim/faults/${main}`, { explode: true })).status).toBe(400);
  });
});
