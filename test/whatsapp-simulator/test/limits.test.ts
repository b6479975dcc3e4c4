import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, reminder, startSimulator, type Started } from './support.ts';

let sim: Started | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const burst = (started: Started, count: number, recipient: (index: number) => string) =>
  Promise.all(Array.from({ length: count }, (_, index) => started.send(reminder(recipient(index), `burst-${index}`))));

describe('throughput limit', () => {
  it('when 500 sends arrive at once at the default 80 per second, then no second holds more than 80 and the rest get 130429', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    const responses = await burst(sim, 500, (index) => `91700000${String(index).padStart(4, '0')}`);
    const accepted = responses.filter((response) => response.status === 200).length;
    const throttled = responses.filter((response) => response.status === 400 && response.body.error.code === 130429);
    expect(accepted + throttled.length).toBe(500);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]!.body.error).toMatchObject({
      message: '(#130429) Rate limit hit',
      error_data: { details: 'Cloud API message throughput has been reached.' },
    });
    const stats = await sim.stats();
    expect(stats.phoneNumbers['106540352242922'].maxPerSecond).toBeLessThanOrEqual(80);
    expect(stats.accepted).toBe(accepted);
    expect(stats.rejected).toEqual({ 130429: throttled.length });
  });

  it('when time stands still, then exactly the limit is accepted; when a second has passed, then again', async () => {
    const clock = manualClock();
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0', SIMULATOR_THROUGHPUT_MPS: '25' }, { clock });
    const first = await burst(sim, 60, (index) => `91710000${String(index).padStart(4, '0')}`);
    expect(first.filter((response) => response.status === 200)).toHaveLength(25);
    clock.advance(1_000);
    const second = await burst(sim, 60, (index) => `91720000${String(index).padStart(4, '0')}`);
    expect(second.filter((response) => response.status === 200)).toHaveLength(25);
    expect((await sim.stats()).phoneNumbers['106540352242922']).toMatchObject({
      maxPerSecond: 25,
      maxAttemptsPerSecond: 60,
    });
  });

  it('when the limit is switched off at run time, then a burst is accepted whole', async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    expect((await sim.admin('PATCH', '/_sim/config', { limits: { throughputPerSecond: 'unlimited' } })).status).toBe(
      200,
    );
    const responses = await burst(sim, 300, (index) => `91730000${String(index).padStart(4, '0')}`);
    expect(responses.every((response) => response.status === 200)).toBe(true);
  });
});

describe('pair rate limit', () => {
  it('when one user is messaged twice within the interval, then 131056 for that user only, and fine again after it', async () => {
    const clock = manualClock();
    sim = await startSimulator({}, { clock });
    expect((await sim.send(reminder('919811111111', 'p-1'))).status).toBe(200);
    const again = await sim.send(reminder('919811111111', 'p-2'));
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: 131056,
      type: 'OAuthException',
      error_data: { messaging_product: 'whatsapp' },
    });
    expect((await sim.send(reminder('919822222222', 'p-3'))).status).toBe(200);
    clock.advance(6_000);
    expect((await sim.send(reminder('919811111111', 'p-4'))).status).toBe(200);
  });
});

describe('messaging tier', () => {
  it('when the business has reached its unique users for 24 hours, then a new user is refused and known users are not', async () => {
    const clock = manualClock();
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0', SIMULATOR_TIER_LIMIT: '2' }, { clock });
    expect((await sim.send(reminder('919833333301'))).status).toBe(200);
    expect((await sim.send(reminder('919833333302'))).status).toBe(200);
    const third = await sim.send(reminder('919833333303'));
    expect(third.status).toBe(400);
    expect(third.body.error.code).toBe(131048);
    expect(third.body.error.error_data.details).toContain('messaging limit of 2');
    expect((await sim.send(reminder('919833333301', 'again'))).status).toBe(200);
    clock.advance(24 * 60 * 60 * 1000);
    expect((await sim.send(reminder('919833333303'))).status).toBe(200);
  });
});

describe('server errors', () => {
  it("when errors are injected, then 131000 comes back as 500 and 131016 as 503, in Meta's shape", async () => {
    sim = await startSimulator({ SIMULATOR_PAIR_INTERVAL_MS: '0' });
    await sim.admin('PUT', '/_sim/faults/106540352242922', { errors: { rate: 1, code: 131000 } });
    const unknown = await sim.send(reminder('919844444401'));
    expect(unknown.status).toBe(500);
    expect(unknown.body.error).toMatchObject({ code: 131000, message: '(#131000) Something went wrong' });
    await sim.admin('PUT', '/_sim/faults/106540352242922', { outage: { mode: '5xx' } });
    const unavailable = await sim.send(reminder('919844444402'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error).toMatchObject({ code: 131016, message: '(#131016) Service unavailable' });
    expect((await sim.stats()).rejected).toEqual({ 131000: 1, 131016: 1 });
  });
});
