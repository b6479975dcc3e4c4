import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ektola/platform/testing';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
/** What the dispatcher reports of each run's messages, by run id. */
const outcomes = new Map<string, Array<{ contactId: string; status: string; errorCode?: number; replied?: boolean }>>();
let grpc: ReturnType<typeof campaignQueryClient>;
let sql: postgres.Sql;
let templateId: string;
const ids = new Map<string, string>();

const post = (url: string, payload?: object) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
const preview = (audience: object, templateId?: string) =>
  post('/v1/audiences/preview', { audience, ...(templateId ? { templateId } : {}) });
/** The names of the contacts a preview's sample holds (every test audience is under ten contacts). */
const sampled = (body: { sample: Array<{ name: string | null; phone: string }> }) =>
  body.sample.map((contact) => contact.name ?? contact.phone).sort();

const contactsCsv = [
  'phone,name,tags,loan_amount,city,due_date',
  '+919876540001,Asha,loan,5000,Pune,2026-04-01T00:00:00Z',
  '+919876540002,Ravi,loan,7000,Mumbai,2026-05-01T00:00:00Z',
  '+919876540003,Meera,gold,12000.50,Pune,',
  '+919876540004,Kiran,loan,n/a,Delhi,2026-03-15T00:00:00+05:30',
  '+919876540005,,loan,9000,,',
  '+14155550106,Sam,gold,3000,Pune,not a date',
  '+919876540007,Stopped,loan,8000,Pune,',
].join('\n');

beforeAll(async () => {
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, new Map(), undefined, outcomes);
  harness = await startHarness({ DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}` });
  grpc = campaignQueryClient(harness.app.grpcAddress());
  sql = postgres(harness.config.DATABASE_URL, { max: 1, onnotice: () => undefined });
  expect((await harness.uploadCsv(contactsCsv)).json()).toMatchObject({ imported: 7, rejectedCount: 0 });
  const page = (await harness.request({ url: '/v1/contacts?limit=50' })).json();
  for (const contact of page.items) ids.set(contact.name ?? contact.phone, contact.id);
  expect((await post(`/v1/contacts/${ids.get('Stopped')}/opt-out`)).statusCode).toBe(200);
  // No calling code blocked, so the +1 contact counts and is priced like the others here; the region
  // rules' own exclusions are shown in guardrails-api.test.ts.
  const cleared = await harness.request({
    method: 'PUT',
    url: '/v1/settings/region-rules',
    payload: { blockedCallingCodes: [] },
  });
  expect(cleared.statusCode).toBe(200);
  templateId = (
    await post('/v1/templates', {
      name: 'loan_offer',
      language: 'en',
      category: 'MARKETING',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Dear {{1}}, {{2}} is pre-approved.' }],
      variables: { 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.loan_amount', default: 'a loan' } },
    })
  ).json().id;
});

afterAll(async () => {
  grpc?.close();
  await sql?.end();
  await harness?.close();
  await dispatcher?.stop();
});

describe('POST /v1/audiences/preview', () => {
  it.each([
    {
      why: 'a number compares CSV text numerically, and text that is no number never matches',
      where: [{ field: 'attributes.loan_amount', op: 'gt', value: 4000 }],
      expected: ['+919876540005', 'Asha', 'Meera', 'Ravi'],
    },
    {
      why: 'a string compares as text',
      where: [{ field: 'attributes.city', op: 'eq', value: 'Pune' }],
      expected: ['Asha', 'Meera', 'Sam'],
    },
    {
      why: 'a date-time compares as time, whatever the offset, and no date never matches',
      where: [{ field: 'attributes.due_date', op: 'lt', value: '2026-04-15T00:00:00Z' }],
      expected: ['Asha', 'Kiran'],
    },
    {
      why: 'tags in a list match any of them',
      where: [{ field: 'tags', op: 'in', value: ['gold'] }],
      expected: ['Meera', 'Sam'],
    },
    {
      why: 'exists asks for a value, and false for none',
      where: [{ field: 'attributes.due_date', op: 'exists' }],
      expected: ['Asha', 'Kiran', 'Ravi', 'Sam'],
    },
    {
      why: 'conditions combine with AND and with the tags',
      where: [
        { field: 'attributes.city', op: 'ne', value: 'Pune' },
        { field: 'name', op: 'exists', value: true },
      ],
      tags: ['loan'],
      expected: ['Kiran', 'Ravi'],
    },
    {
      why: 'in takes numbers and contains finds text without regard to case',
      where: [
        { field: 'attributes.loan_amount', op: 'in', value: [5000, 12000.5, 9000] },
        { field: 'phone', op: 'contains', value: '+9198765400' },
      ],
      expected: ['+919876540005', 'Asha', 'Meera'],
    },
  ])('when $why, then exactly those contacts are counted', async ({ where, tags, expected }) => {
    const answer = await preview({ where, ...(tags ? { tags } : {}) });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(sampled(body)).toEqual(expected);
    expect(body.count).toBe(expected.length);
    expect(body.excluded).toMatchObject({ missingValue: 0, frequencyCapped: 0, regionBlocked: 0 });
  });

  it('when attributes are compared as times, then only real times count (leap days, offsets PostgreSQL accepts), an edited attribute is read again, and nothing raises', async () => {
    const values = {
      leapDay: '2028-02-29',
      notALeapDay: '2027-02-29',
      april31: '2026-04-31T10:00:00Z',
      offsetTooFar: '2026-06-01T00:00:00+16:00',
      farOffset: ' 2026-06-01T00:00:00.123456-15:30 ',
      noOffset: '2026-06-01 08:00',
    };
    const created = new Map<string, string>();
    for (const [index, [name, visit]] of Object.entries(values).entries()) {
      const answer = await post('/v1/contacts', {
        phone: `+9198765411${String(index).padStart(2, '0')}`,
        name,
        tags: ['times'],
        attributes: { visit },
      });
      expect(answer.statusCode).toBe(201);
      created.set(name, answer.json().id);
    }
    const after = async (value: string) =>
      sampled((await preview({ tags: ['times'], where: [{ field: 'attributes.visit', op: 'gte', value }] })).json());
    expect(await after('2000-01-01T00:00:00Z')).toEqual(['farOffset', 'leapDay', 'noOffset']);
    // -15:30 puts the instant at 15:30:00.123456 UTC: compared below the second, with its offset.
    expect(await after('2026-06-01T15:30:00.123Z')).toEqual(['farOffset', 'leapDay']);
    expect(await after('2026-06-01T15:30:00.124Z')).toEqual(['leapDay']);

    const edited = await harness.request({
      method: 'PATCH',
      url: `/v1/contacts/${created.get('leapDay')}`,
      payload: { attributes: { visit: 'soon' } },
    });
    expect(edited.statusCode).toBe(200);
    expect(await after('2000-01-01T00:00:00Z')).toEqual(['farOffset', 'noOffset']);
  });

  it('when an opted-out contact matches, then it is excluded and counted as such', async () => {
    const body = (await preview({ where: [{ field: 'attributes.city', op: 'eq', value: 'Pune' }] })).json();
    expect(body.excluded.optedOut).toBe(1);
  });

  it('when a template needs a value a contact lacks, then that contact is excluded as missingValue', async () => {
    const body = (await preview({ tags: ['loan'] }, templateId)).json();
    expect({ count: body.count, excluded: body.excluded, sample: sampled(body) }).toEqual({
      count: 3,
      excluded: { optedOut: 1, missingValue: 1, frequencyCapped: 0, regionBlocked: 0 },
      sample: ['Asha', 'Kiran', 'Ravi'],
    });
    expect(body.estimatedCost).toBeNull();
  });

  it('when a rate card is set, then the cost prices each recipient by calling code and category', async () => {
    await sql`
      insert into campaign.rate_card (currency, default_prices, prices_by_calling_code)
      values ('USD', ${sql.json({ MARKETING: 0.025, UTILITY: 0.004, AUTHENTICATION: 0.004 })}, ${sql.json({ '91': { MARKETING: 0.0107 } })})`;
    try {
      const body = (await preview({ tags: ['gold'] }, templateId)).json();
      expect(body.estimatedCost).toEqual({ currency: 'USD', amount: '0.0357', category: 'MARKETING' });
    } finally {
      await sql`delete from campaign.rate_card`;
    }
  });

  it.each([
    { where: [{ field: 'age', op: 'eq', value: 1 }], path: 'body.audience.where[0].field' },
    {
      where: [
        { field: 'name', op: 'exists' },
        { field: 'attributes.x', op: 'between', value: 1 },
      ],
      path: 'body.audience.where[1].op',
    },
    { where: [{ field: 'createdAt', op: 'gt', value: 'yesterday' }], path: 'body.audience.where[0].value' },
    { where: [{ field: 'attributes.x', op: 'in', value: 'a' }], path: 'body.audience.where[0].value' },
  ])('when a condition is wrong, then the 400 names $path', async ({ where, path }) => {
    const answer = await preview({ where });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.details).toEqual([{ path, message: expect.any(String) }]);
  });

  it('when the audience names an unknown key or a missing template, then the 400 names it', async () => {
    expect((await preview({ fromSomewhere: 1 })).json().error.details[0].path).toMatch(/body\.audience/);
    const missing = await preview({ tags: [] }, '00000000-0000-4000-8000-000000000000');
    expect([missing.statusCode, missing.json().error.details[0].path]).toEqual([400, 'body.templateId']);
  });
});

describe('/v1/segments', () => {
  it('when a segment is saved, then a preview or another segment naming it adds its conditions', async () => {
    const pune = await post('/v1/segments', {
      name: 'Pune',
      audience: { where: [{ field: 'attributes.city', op: 'eq', value: 'Pune' }] },
    });
    expect(pune.statusCode).toBe(201);
    const large = (
      await post('/v1/segments', {
        name: 'Large in Pune',
        audience: { segmentId: pune.json().id, where: [{ field: 'attributes.loan_amount', op: 'gte', value: 5000 }] },
      })
    ).json();
    expect(sampled((await preview({ segmentId: large.id })).json())).toEqual(['Asha', 'Meera']);
    expect(sampled((await preview({ segmentId: pune.json().id, tags: ['gold'] })).json())).toEqual(['Meera', 'Sam']);
    expect((await harness.request({ url: `/v1/segments/${large.id}` })).json()).toMatchObject({
      name: 'Large in Pune',
      audience: { tags: [], segmentId: pune.json().id },
    });
    expect((await harness.request({ url: '/v1/segments' })).json().items.map((s: { id: string }) => s.id)).toEqual([
      large.id,
      pune.json().id,
    ]);
  });

  it('when a segment would name itself, directly or through another, then it is a 400 naming segmentId', async () => {
    const first = (await post('/v1/segments', { name: 'A', audience: { tags: ['loan'] } })).json();
    const second = (await post('/v1/segments', { name: 'B', audience: { segmentId: first.id } })).json();
    for (const segmentId of [first.id, second.id]) {
      const answer = await harness.request({
        method: 'PATCH',
        url: `/v1/segments/${first.id}`,
        payload: { audience: { segmentId } },
      });
      expect([answer.statusCode, answer.json().error.details[0].path]).toEqual([400, 'body.audience.segmentId']);
    }
    const renamed = await harness.request({
      method: 'PATCH',
      url: `/v1/segments/${first.id}`,
      payload: { name: 'A2' },
    });
    expect(renamed.json()).toMatchObject({ name: 'A2', audience: { tags: ['loan'] } });
  });

  it('when a segment is used by a campaign, then deleting it is a 409, and once unused it goes', async () => {
    const segment = (await post('/v1/segments', { name: 'In use', audience: { tags: ['gold'] } })).json();
    const campaign = await post('/v1/campaigns', {
      name: 'Gold offer',
      templateId,
      recurrence: 'ONCE',
      startAt: '2030-01-01T09:00:00Z',
      audience: { segmentId: segment.id },
    });
    expect(campaign.statusCode).toBe(201);
    const refused = await harness.request({ method: 'DELETE', url: `/v1/segments/${segment.id}` });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'segment_in_use']);
    await harness.request({
      method: 'PATCH',
      url: `/v1/campaigns/${campaign.json().id}`,
      payload: { audience: { tags: ['gold'] } },
    });
    expect((await harness.request({ method: 'DELETE', url: `/v1/segments/${segment.id}` })).statusCode).toBe(204);
    expect((await harness.request({ url: `/v1/segments/${segment.id}` })).statusCode).toBe(404);
  });

  it('when a campaign names a segment that does not exist, then it is a 400 naming body.audience.segmentId', async () => {
    const answer = await post('/v1/campaigns', {
      name: 'Nobody',
      templateId,
      recurrence: 'ONCE',
      startAt: '2030-01-01T09:00:00Z',
      audience: { segmentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect([answer.statusCode, answer.json().error.details[0].path]).toEqual([400, 'body.audience.segmentId']);
  });
});

describe('a campaign with conditions', () => {
  it('when it is activated and run, then it shows the preview figures and its run streams exactly the previewed contacts', async () => {
    const segment = (
      await post('/v1/segments', {
        name: 'Due soon',
        audience: { where: [{ field: 'attributes.due_date', op: 'exists' }] },
      })
    ).json();
    const audience = {
      tags: ['loan', 'gold'],
      where: [{ field: 'attributes.loan_amount', op: 'lt', value: 10_000 }],
      segmentId: segment.id,
    };
    const expected = (await preview(audience, templateId)).json();
    expect(expected.count).toBe(3);
    const created = (
      await post('/v1/campaigns', {
        name: 'Due soon offer',
        templateId,
        recurrence: 'ONCE',
        startAt: '2030-01-01T09:00:00Z',
        audience,
      })
    ).json();
    expect(created.audience).toEqual(audience);
    const activated = await post(`/v1/campaigns/${created.id}/activate`);
    expect(activated.json()).toMatchObject({ status: 'ACTIVE', audienceCount: 3, estimatedCost: null });
    const { run } = await grpc.createRun({
      campaignId: created.id,
      periodKey: 'once',
      scheduledFor: '2030-01-01T09:00:00Z',
    });
    const members = (await grpc.audience({ runId: run!.id, batchSize: 1 })).flatMap((batch) => batch.members ?? []);
    expect(members.map((member) => member.contactId)).toEqual(
      expected.sample.map((contact: { id: string }) => contact.id),
    );
    expect(members.map((member) => member.contactId)).toEqual(
      [ids.get('Asha'), ids.get('Ravi'), ids.get('Sam')].sort(),
    );
  });

  it('when a tags-only campaign is created as before, then it reads back with no conditions', async () => {
    const created = await post('/v1/campaigns', {
      name: 'Tags only',
      templateId,
      recurrence: 'ONCE',
      startAt: '2030-01-01T09:00:00Z',
      audience: { tags: ['gold', 'gold'] },
    });
    expect(created.json()).toMatchObject({ audience: { tags: ['gold'], where: [] }, audienceCount: null });
  });

  it('when every contact the audience holds is excluded, then activation is a 409', async () => {
    const created = await post('/v1/campaigns', {
      name: 'Nobody left',
      templateId,
      recurrence: 'ONCE',
      startAt: '2030-01-01T09:00:00Z',
      audience: { where: [{ field: 'name', op: 'exists', value: false }] },
    });
    const answer = await post(`/v1/campaigns/${created.json().id}/activate`);
    expect([answer.statusCode, answer.json().error.code]).toEqual([409, 'empty_audience']);
  });
});

describe('re-targeting by outcome', () => {
  let runId: string;

  beforeAll(async () => {
    const created = (
      await post('/v1/campaigns', {
        name: 'First reminder',
        templateId,
        recurrence: 'ONCE',
        startAt: '2030-01-01T09:00:00Z',
        audience: { tags: ['loan'] },
      })
    ).json();
    await post(`/v1/campaigns/${created.id}/activate`);
    runId = (await grpc.createRun({ campaignId: created.id, periodKey: 'once', scheduledFor: '2030-01-01T09:00:00Z' }))
      .run!.id;
    outcomes.set(runId, [
      { contactId: ids.get('Asha')!, status: 'SENT' },
      { contactId: ids.get('Ravi')!, status: 'DELIVERED', replied: true },
      { contactId: ids.get('Kiran')!, status: 'READ', replied: true },
      { contactId: ids.get('Meera')!, status: 'FAILED', errorCode: 131049 },
      { contactId: ids.get('Sam')!, status: 'DELIVERED' },
      { contactId: ids.get('Stopped')!, status: 'SKIPPED' },
    ]);
  });

  it('when a re-target asks for the contacts who did not read, then exactly those whose message was SENT or DELIVERED are selected', async () => {
    const body = (await preview({ fromRun: { runId, statuses: ['SENT', 'DELIVERED'] } })).json();
    expect(sampled(body)).toEqual(['Asha', 'Ravi', 'Sam']);
    expect(body.count).toBe(3);
    const gold = (await preview({ tags: ['gold'], fromRun: { runId, statuses: ['SENT', 'DELIVERED'] } })).json();
    expect(sampled(gold)).toEqual(['Sam']);
  });

  it('when a re-target asks for who replied or who did not, then that filters on top of the statuses', async () => {
    const replied = (await preview({ fromRun: { runId, statuses: ['DELIVERED', 'READ'], replied: true } })).json();
    expect(sampled(replied)).toEqual(['Kiran', 'Ravi']);
    const silent = (await preview({ fromRun: { runId, statuses: ['DELIVERED', 'READ'], replied: false } })).json();
    expect(sampled(silent)).toEqual(['Sam']);
    const wrong = await preview({ fromRun: { runId, statuses: ['READ'], replied: 'yes' } });
    expect([wrong.statusCode, wrong.json().error.details[0].path]).toEqual([400, 'body.audience.fromRun.replied']);
  });

  it('when error codes are given, then only the contacts whose message failed with them are selected', async () => {
    const body = (await preview({ fromRun: { runId, statuses: ['FAILED'], errorCodes: [131049] } })).json();
    expect(sampled(body)).toEqual(['Meera']);
  });

  it('when a campaign re-targets the run, then its run streams exactly the contacts the preview counted and nothing stays staged', async () => {
    const audience = { fromRun: { runId, statuses: ['SENT', 'DELIVERED'] } };
    const counted = (await preview(audience, templateId)).json();
    const created = (
      await post('/v1/campaigns', {
        name: 'Not read yet',
        templateId,
        recurrence: 'ONCE',
        startAt: '2030-01-02T09:00:00Z',
        audience,
      })
    ).json();
    expect(created.audience).toEqual({ tags: [], where: [], fromRun: { ...audience.fromRun, errorCodes: [] } });
    expect((await post(`/v1/campaigns/${created.id}/activate`)).json()).toMatchObject({ audienceCount: counted.count });
    const again = await grpc.createRun({
      campaignId: created.id,
      periodKey: 'once',
      scheduledFor: '2030-01-02T09:00:00Z',
    });
    const members = (await grpc.audience({ runId: again.run!.id, batchSize: 2 })).flatMap(
      (batch) => batch.members ?? [],
    );
    expect(members.map((member) => member.contactId)).toEqual(
      counted.sample.map((contact: { id: string }) => contact.id),
    );
    expect(members).toHaveLength(3);
    expect(await sql`select 1 from campaign.run_recipient_sets`).toHaveLength(0);
  });

  it('when a re-target names an unknown run or a status that is no outcome, then the 400 names it', async () => {
    const unknown = await preview({ fromRun: { runId: '00000000-0000-4000-8000-000000000000', statuses: ['SENT'] } });
    expect([unknown.statusCode, unknown.json().error.details[0].path]).toEqual([400, 'body.audience.fromRun.runId']);
    const pending = await preview({ fromRun: { runId, statuses: ['PENDING'] } });
    expect([pending.statusCode, pending.json().error.details[0].path]).toEqual([
      400,
      'body.audience.fromRun.statuses.0',
    ]);
  });
});
