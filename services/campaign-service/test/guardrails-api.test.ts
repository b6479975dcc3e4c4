import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ektola/platform/testing';
import { startFakeDispatcher } from './fake-dispatcher.ts';
import { campaignQueryClient } from './grpc-clients.ts';
import { startHarness, type Harness } from './harness.ts';

/*
 * The marketing guardrails as the campaign-service holds them: the admin settings, a campaign's send
 * window, the preview's exclusions (the frequency cap asked of the dispatcher, here a fake that reports
 * a fixed set of contacts capped) and the rules each run.requested carries to the dispatcher.
 */

let harness: Harness;
let dispatcher: Awaited<ReturnType<typeof startFakeDispatcher>>;
let grpc: ReturnType<typeof campaignQueryClient>;
let sql: postgres.Sql;
const capped = new Set<string>();
const ids = new Map<string, string>();
const templates = new Map<string, string>();

const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: object, key?: string) =>
  harness.request({ method, url, ...(payload ? { payload } : {}), ...(key ? { key } : {}) });
const failedPaths = (response: { json(): { error: { details: Array<{ path: string }> } } }) =>
  response.json().error.details.map((detail) => detail.path);

const contactsCsv = [
  'phone,name,tags,timezone',
  '+919876550001,Asha,offer,Asia/Kolkata',
  '+919876550002,Ravi,offer,',
  '+919876550003,Meera,offer,',
  '+14155550104,Sam,offer,America/Los_Angeles',
  '+12125550105,Lee,offer,',
].join('\n');

const template = (name: string, category: string) =>
  call('POST', '/v1/templates', {
    name,
    language: 'en',
    category,
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Dear {{1}}, a note for you.' }],
    variables: { 'body.1': { field: 'name' } },
  });

beforeAll(async () => {
  const dispatcherPort = await freePort();
  dispatcher = await startFakeDispatcher(dispatcherPort, new Map(), undefined, undefined, capped);
  harness = await startHarness({ DISPATCHER_GRPC_ADDRESS: `127.0.0.1:${dispatcherPort}` });
  grpc = campaignQueryClient(harness.app.grpcAddress());
  sql = postgres(harness.config.DATABASE_URL, { max: 1, onnotice: () => undefined });
  expect((await harness.uploadCsv(contactsCsv)).json()).toMatchObject({ imported: 5, rejectedCount: 0 });
  for (const contact of (await call('GET', '/v1/contacts?limit=50')).json().items) ids.set(contact.name, contact.id);
  for (const [name, category] of [
    ['festive_note', 'MARKETING'],
    ['statement_note', 'UTILITY'],
  ] as const)
    templates.set(category, (await template(name, category)).json().id);
});

afterAll(async () => {
  grpc?.close();
  await sql?.end();
  await harness?.close();
  await dispatcher?.stop();
});

describe('guardrail settings', () => {
  it('when nothing is set, then the cap is off and calling code 1 receives no MARKETING templates', async () => {
    expect((await call('GET', '/v1/settings/frequency-cap')).json()).toEqual({
      enabled: false,
      maxMessages: null,
      windowHours: null,
      updatedAt: null,
    });
    expect((await call('GET', '/v1/settings/region-rules')).json()).toEqual({
      blockedCallingCodes: ['1'],
      updatedAt: null,
    });
  });

  it('when an admin sets them, then they read back; turning the cap off keeps the region rules', async () => {
    const cap = await call('PUT', '/v1/settings/frequency-cap', { enabled: true, maxMessages: 2, windowHours: 24 });
    expect(cap.json()).toMatchObject({ enabled: true, maxMessages: 2, windowHours: 24, updatedAt: expect.any(String) });
    const rules = await call('PUT', '/v1/settings/region-rules', { blockedCallingCodes: ['1', '44'] });
    expect(rules.json()).toMatchObject({ blockedCallingCodes: ['1', '44'] });
    expect((await call('PUT', '/v1/settings/frequency-cap', { enabled: false })).json()).toMatchObject({
      enabled: false,
      maxMessages: null,
    });
    expect((await call('GET', '/v1/settings/region-rules')).json().blockedCallingCodes).toEqual(['1', '44']);
  });

  it('when a setting is malformed, then the 400 names the field and nothing changes', async () => {
    const before = (await call('GET', '/v1/settings/region-rules')).json();
    const noMax = await call('PUT', '/v1/settings/frequency-cap', { enabled: true, windowHours: 24 });
    expect([noMax.statusCode, failedPaths(noMax)]).toEqual([400, ['body.maxMessages']]);
    const zeroWindow = await call('PUT', '/v1/settings/frequency-cap', {
      enabled: true,
      maxMessages: 1,
      windowHours: 0,
    });
    expect([zeroWindow.statusCode, failedPaths(zeroWindow)]).toEqual([400, ['body.windowHours']]);
    const unknown = await call('PUT', '/v1/settings/region-rules', { blockedCallingCodes: ['1', '999'] });
    expect(unknown.statusCode).toBe(400);
    expect(failedPaths(unknown)[0]).toMatch(/^body\.blockedCallingCodes(\[1\]|\.1)$/);
    const plus = await call('PUT', '/v1/settings/region-rules', { blockedCallingCodes: ['+1'] });
    expect(plus.statusCode).toBe(400);
    expect((await call('GET', '/v1/settings/region-rules')).json()).toEqual(before);
  });

  it('when a viewer or operator tries to change them, then it is a 403, while reading is allowed', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const { key } = (await call('POST', '/v1/api-keys', { name: `${role} key`, role })).json();
      const refused = await call('PUT', '/v1/settings/frequency-cap', { enabled: false }, key);
      expect(refused.statusCode).toBe(403);
      expect((await call('GET', '/v1/settings/frequency-cap', undefined, key)).statusCode).toBe(200);
    }
  });
});

describe('a campaign’s send window', () => {
  const campaign = (sendWindow?: unknown) =>
    call('POST', '/v1/campaigns', {
      name: 'Windowed',
      templateId: templates.get('UTILITY'),
      recurrence: 'DAILY',
      timezone: 'Asia/Kolkata',
      startAt: '2030-01-01T09:00:00+05:30',
      audience: { tags: ['offer'] },
      ...(sendWindow === undefined ? {} : { sendWindow }),
    });

  it.each([
    [{ start: '9:00', end: '20:00', days: [1] }, 'body.sendWindow.start'],
    [{ start: '09:00', end: '24:00', days: [1] }, 'body.sendWindow.end'],
    [{ start: '20:00', end: '09:00', days: [1] }, 'body.sendWindow.end'],
    [{ start: '09:00', end: '20:00', days: [8] }, 'body.sendWindow.days'],
    [{ start: '09:00', end: '20:00', days: [] }, 'body.sendWindow.days'],
  ])('when the window is %j, then the 400 names %s', async (sendWindow, path) => {
    const answer = await campaign(sendWindow);
    expect(answer.statusCode).toBe(400);
    expect(failedPaths(answer)[0]?.replace(/\[(\d+)\]/g, '.$1')).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}`));
  });

  it('when a campaign carries a window, then it reads back, and a PATCH with null removes it', async () => {
    const window = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };
    const created = (await campaign(window)).json();
    expect(created.sendWindow).toEqual(window);
    const patched = await call('PATCH', `/v1/campaigns/${created.id}`, { sendWindow: null });
    expect(patched.json().sendWindow).toBeNull();
    expect((await campaign()).json().sendWindow).toBeNull();
  });
});

describe('the preview and the run under guardrails', () => {
  beforeAll(async () => {
    await call('PUT', '/v1/settings/region-rules', { blockedCallingCodes: ['1'] });
    await call('PUT', '/v1/settings/frequency-cap', { enabled: true, maxMessages: 1, windowHours: 24 });
    capped.clear();
    capped.add(ids.get('Ravi')!);
    // A capped contact the region rules already exclude is counted once, as region-blocked.
    capped.add(ids.get('Sam')!);
  });

  const preview = (category: 'MARKETING' | 'UTILITY') =>
    call('POST', '/v1/audiences/preview', { audience: { tags: ['offer'] }, templateId: templates.get(category) });

  it('when the template is MARKETING, then +1 numbers are region-blocked, capped contacts are excluded and the rest counted', async () => {
    expect((await preview('MARKETING')).json()).toMatchObject({
      count: 2,
      excluded: { optedOut: 0, missingValue: 0, regionBlocked: 2, frequencyCapped: 1 },
    });
    expect((await preview('UTILITY')).json()).toMatchObject({
      count: 5,
      excluded: { regionBlocked: 0, frequencyCapped: 0 },
    });
  });

  it('when a MARKETING campaign with a window is activated and run, then its audienceCount is the preview’s and run.requested carries the rules', async () => {
    const window = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };
    const created = (
      await call('POST', '/v1/campaigns', {
        name: 'Festive',
        templateId: templates.get('MARKETING'),
        recurrence: 'ONCE',
        timezone: 'Asia/Kolkata',
        startAt: '2030-01-01T09:00:00+05:30',
        audience: { tags: ['offer'] },
        sendWindow: window,
      })
    ).json();
    const activated = await call('POST', `/v1/campaigns/${created.id}/activate`);
    expect(activated.json()).toMatchObject({ status: 'ACTIVE', audienceCount: 2 });

    const { run } = await grpc.createRun({
      campaignId: created.id,
      periodKey: 'once',
      scheduledFor: '2030-01-01T03:30:00Z',
    });
    const [row] = await sql<Array<{ payload: Record<string, unknown> }>>`
      select payload from campaign.outbox where event = 'run.requested.v1' and payload->>'runId' = ${run!.id}`;
    expect(row?.payload.guardrails).toEqual({
      frequencyCap: { maxMessages: 1, windowSeconds: 86_400 },
      blockedCallingCodes: ['1'],
      sendWindow: { ...window, timezone: 'Asia/Kolkata' },
    });

    // The run streams every contact with its timezone; the dispatcher skips the blocked and capped ones.
    const members = (await grpc.audience({ runId: run!.id, batchSize: 10 })).flatMap((batch) => batch.members);
    expect(members.map((member) => [member.phone, member.timezone]).sort()).toEqual([
      ['+12125550105', ''],
      ['+14155550104', 'America/Los_Angeles'],
      ['+919876550001', 'Asia/Kolkata'],
      ['+919876550002', ''],
      ['+919876550003', ''],
    ]);
  });
});
