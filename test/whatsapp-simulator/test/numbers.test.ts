import { describe, expect, it } from 'vitest';
import { manualClock, reminder, simulatorWithReceiver, token, waitFor, wabaId, type Started } from './support.ts';
import type { SimulatorDeps } from '../src/simulator.ts';

const running = simulatorWithReceiver();

const second = '106540352240002';
const otherWaba = '102290129349999';
const numbers = JSON.stringify([
  { phoneNumberId: '106540352242922', throughputMps: 3, messagingLimit: 'TIER_10K' },
  {
    phoneNumberId: second,
    wabaId: otherWaba,
    displayPhoneNumber: '15550002222',
    verifiedName: 'EkTola Collections',
    throughputMps: 5,
    qualityRating: 'YELLOW',
    messagingLimit: 'TIER_2K',
  },
]);

async function withNumbers(deps: SimulatorDeps = {}) {
  const { sim } = await running.start({ SIMULATOR_NUMBERS: numbers, SIMULATOR_PAIR_INTERVAL_MS: '0' }, deps);
  return sim;
}

const lookUp = async (started: Started, id: string, fields?: string) => {
  const response = await fetch(`${started.url}/v23.0/${id}${fields ? `?fields=${fields}` : ''}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as any };
};

const burst = (started: Started, phoneNumberId: string, count: number, prefix: string) =>
  Promise.all(
    Array.from({ length: count }, (_, index) =>
      started.send(reminder(`${prefix}${String(index).padStart(4, '0')}`), { phoneNumberId }),
    ),
  );

/** The notification of this field the callback received, once it has arrived. */
const arrived = (field: string) =>
  waitFor(() => running.receiver.received.find((entry) => entry.body.entry[0].changes[0].field === field)?.body);

describe('GET /{phone-number-id}', () => {
  it("when every field EkTola reads is asked for, then Meta's shape comes back with those fields and id", async () => {
    const started = await withNumbers();
    const fields =
      'display_phone_number,verified_name,quality_rating,throughput,status,name_status,whatsapp_business_manager_messaging_limit,messaging_limit_tier';
    expect(await lookUp(started, second, fields)).toEqual({
      status: 200,
      body: {
        display_phone_number: '15550002222',
        verified_name: 'EkTola Collections',
        quality_rating: 'YELLOW',
        throughput: { level: 'STANDARD' },
        status: 'CONNECTED',
        name_status: 'APPROVED',
        whatsapp_business_manager_messaging_limit: 'TIER_2K',
        messaging_limit_tier: 'TIER_2K',
        id: second,
      },
    });
  });

  it('when fields name only some, then only those and id come back; with none, Meta’s default set', async () => {
    const started = await withNumbers();
    expect((await lookUp(started, second, 'quality_rating')).body).toEqual({ quality_rating: 'YELLOW', id: second });
    expect(Object.keys((await lookUp(started, second)).body).sort()).toEqual(
      [
        'code_verification_status',
        'display_phone_number',
        'id',
        'platform_type',
        'quality_rating',
        'throughput',
        'verified_name',
      ].sort(),
    );
  });

  it('when a field does not exist or the number is not the business’s, then Graph’s 400 code 100', async () => {
    const started = await withNumbers();
    const field = await lookUp(started, second, 'quality_rating,colour');
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({
      code: 100,
      message: '(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessPhoneNumber)',
    });
    const unknown = await lookUp(started, '999999999999999', 'quality_rating');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect(unknown.body.error.message).toMatch(/^Unsupported get request\. Object with ID '999999999999999'/);
  });

  it('when a send names a number that is not configured, then Graph’s unsupported post request', async () => {
    const started = await withNumbers();
    const response = await started.send(reminder('919800000001'), { phoneNumberId: '999999999999999' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect(response.body.error.message).toMatch(/^Unsupported post request\./);
  });
});

describe('throughput per number', () => {
  it('when two numbers take a burst at the same instant, then each accepts its own limit and answers 130429 beyond it', async () => {
    const started = await withNumbers({ clock: manualClock() });
    const first = await burst(started, '106540352242922', 10, '9170100');
    const other = await burst(started, second, 10, '9170200');
    expect(first.filter((response) => response.status === 200)).toHaveLength(3);
    expect(other.filter((response) => response.status === 200)).toHaveLength(5);
    expect(other.find((response) => response.status !== 200)?.body.error.code).toBe(130429);
    const listed = (await started.admin('GET', '/_sim/numbers')).body.data;
    expect(listed.map((number: any) => [number.phoneNumberId, number.sends])).toEqual([
      ['106540352242922', { attempts: 10, accepted: 3, rejected: 7, maxPerSecond: 3 }],
      [second, { attempts: 10, accepted: 5, rejected: 5, maxPerSecond: 5 }],
    ]);
  });

  it('when a number’s throughput is raised past 80, then THROUGHPUT_UPGRADE is posted and the new limit holds at once', async () => {
    const started = await withNumbers({ clock: manualClock() });
    const changed = await started.admin('PATCH', `/_sim/numbers/${second}`, { throughputMps: 1000 });
    expect(changed.status).toBe(200);
    expect(changed.body.number.throughput).toEqual({ level: 'HIGH', mps: 1000 });
    expect(changed.body.notifications[0].entry[0].changes[0].value).toEqual({
      display_phone_number: '15550002222',
      event: 'THROUGHPUT_UPGRADE',
      current_limit: 'TIER_2K',
      max_daily_conversations_per_business: 'TIER_2K',
    });
    const responses = await burst(started, second, 20, '9170300');
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect((await lookUp(started, second, 'throughput')).body.throughput).toEqual({ level: 'HIGH' });
  });
});

describe('quality and messaging limit', () => {
  it('when the messaging limit drops, then phone_number_quality_update DOWNGRADE is posted in Meta’s envelope', async () => {
    const started = await withNumbers();
    const changed = await started.admin('PATCH', '/_sim/numbers/106540352242922', { messagingLimit: 'TIER_2K' });
    expect(changed.status).toBe(200);
    const payload = await arrived('phone_number_quality_update');
    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          time: expect.any(Number),
          changes: [
            {
              field: 'phone_number_quality_update',
              value: {
                display_phone_number: '15550001111',
                event: 'DOWNGRADE',
                old_limit: 'TIER_10K',
                current_limit: 'TIER_2K',
                max_daily_conversations_per_business: 'TIER_2K',
              },
            },
          ],
        },
      ],
    });
    expect((await lookUp(started, '106540352242922', 'whatsapp_business_manager_messaging_limit')).body).toMatchObject({
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
    });
  });

  it('when a number is flagged and unflagged, then FLAGGED then UNFLAGGED arrive and GET shows the quality', async () => {
    const started = await withNumbers();
    await started.admin('POST', `/_sim/numbers/${second}/flag`);
    expect((await lookUp(started, second, 'quality_rating,status')).body).toEqual({
      quality_rating: 'RED',
      status: 'FLAGGED',
      id: second,
    });
    await started.admin('POST', `/_sim/numbers/${second}/unflag`, { qualityRating: 'YELLOW' });
    const events = await waitFor(() => {
      const seen = running.receiver.received.map((entry) => entry.body.entry[0]);
      return seen.length === 2 && seen;
    });
    expect(events.map((entry: any) => [entry.id, entry.changes[0].value.event])).toEqual([
      [otherWaba, 'FLAGGED'],
      [otherWaba, 'UNFLAGGED'],
    ]);
  });
});

describe('account restrictions', () => {
  it('when a number is restricted, then account_update carries the restriction, its sends fail with 368 until reinstated', async () => {
    const started = await withNumbers({ clock: manualClock() });
    const restricted = await started.admin('POST', `/_sim/numbers/${second}/restrict`, { durationMs: 3_600_000 });
    expect(restricted.body.notifications[0].entry[0].changes[0]).toEqual({
      field: 'account_update',
      value: {
        phone_number: '15550002222',
        event: 'ACCOUNT_RESTRICTION',
        restriction_info: [
          { restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: '2026-03-05T05:00:00+0000' },
        ],
      },
    });
    const refused = await started.send(reminder('919800000011'), { phoneNumberId: second });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 368,
      message: '(#368) Temporarily blocked for policies violations',
    });
    expect((await started.send(reminder('919800000012'))).status).toBe(200);

    const reinstated = await started.admin('POST', `/_sim/numbers/${second}/reinstate`);
    expect(reinstated.body.notifications[0].entry[0].changes[0].value).toEqual({
      phone_number: '15550002222',
      event: 'DISABLED_UPDATE',
      ban_info: { waba_ban_state: 'REINSTATE', waba_ban_date: '2026-03-05' },
    });
    expect((await started.send(reminder('919800000013'), { phoneNumberId: second })).status).toBe(200);
  });

  it('when a restriction reaches its expiration, then the number sends again by itself', async () => {
    const clock = manualClock();
    const started = await withNumbers({ clock });
    await started.admin('POST', `/_sim/numbers/${second}/restrict`, { durationMs: 60_000 });
    clock.advance(59_999);
    expect((await started.send(reminder('919800000014'), { phoneNumberId: second })).body.error.code).toBe(368);
    expect((await lookUp(started, second, 'status')).body.status).toBe('RESTRICTED');
    clock.advance(1);
    expect((await lookUp(started, second, 'status')).body.status).toBe('CONNECTED');
    expect((await started.send(reminder('919800000015'), { phoneNumberId: second })).status).toBe(200);
    expect((await started.admin('GET', `/_sim/numbers/${second}`)).body).not.toHaveProperty('blockedWith');
  });

  it('when a number is offboarded, then ACCOUNT_OFFBOARDED is posted and its sends fail with 131031', async () => {
    const started = await withNumbers();
    const offboarded = await started.admin('POST', '/_sim/numbers/106540352242922/offboard');
    expect(offboarded.body.notifications[0].entry[0].changes[0].value).toEqual({
      phone_number: '15550001111',
      event: 'ACCOUNT_OFFBOARDED',
    });
    const refused = await started.send(reminder('919800000021'));
    expect(refused.body.error).toMatchObject({ code: 131031, message: '(#131031) Account has been locked' });
  });

  it('when the business is banned, then DISABLED_UPDATE is posted and every number of that WABA fails; another WABA sends', async () => {
    const started = await withNumbers();
    const banned = await started.admin('POST', '/_sim/numbers/106540352242922/ban');
    expect(banned.body.notifications[0].entry[0]).toMatchObject({
      id: wabaId,
      changes: [
        {
          field: 'account_update',
          value: {
            event: 'DISABLED_UPDATE',
            ban_info: { waba_ban_state: 'DISABLE', waba_ban_date: expect.any(String) },
          },
        },
      ],
    });
    expect((await started.send(reminder('919800000031'))).body.error.code).toBe(131031);
    expect((await started.send(reminder('919800000032'), { phoneNumberId: second })).status).toBe(200);
    expect((await started.admin('POST', '/_sim/reset')).status).toBe(200);
    expect((await started.send(reminder('919800000033'))).status).toBe(200);
  });

  it('when an admin call names an unknown number or a bad value, then 404 or 400 naming it', async () => {
    const started = await withNumbers();
    expect((await started.admin('POST', '/_sim/numbers/1234/flag')).status).toBe(404);
    const bad = await started.admin('PATCH', `/_sim/numbers/${second}`, { messagingLimit: 'TIER_3K' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['messagingLimit']);
    // An admin path that does not exist is the admin API's 404, not Graph's answer for an unknown id.
    expect(await started.admin('GET', '/_sim/nothing')).toEqual({
      status: 404,
      body: { error: { message: 'no route for GET /_sim/nothing' } },
    });
  });
});
