import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { mobile, settledRun, activeCampaign, type Api, type RunDetail, useSystem } from './support.ts';

/*
 * Templates with every kind of value, every service its own process against the simulated Cloud API:
 * a coupon template's code and a location template's place reach Meta in the send request and Meta
 * accepts them; Meta pausing a template pauses the campaign that sends it; a template submitted through
 * EkTola is reviewed by Meta and followed to APPROVED by its status webhook.
 */

const system = useSystem('e2etemplates');

const coupon = {
  name: 'e2e_gold_coupon',
  language: 'en',
  category: 'MARKETING',
  parameter_format: 'POSITIONAL',
  components: [
    {
      type: 'BODY',
      text: '{{1}}, get ₹500 cashback on a new gold loan with the code below.',
      example: { body_text: [['Asha']] },
    },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'COPY_CODE', text: 'Copy offer code', example: 'GOLD500' },
        { type: 'QUICK_REPLY', text: 'Stop promotions' },
      ],
    },
  ],
};

const branch = {
  name: 'e2e_branch_location',
  language: 'en',
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'LOCATION' },
    {
      type: 'BODY',
      text: 'Hi {{1}}, your pledged gold is ready at the branch above.',
      example: { body_text: [['Asha']] },
    },
  ],
};

/** Meta's copy of an APPROVED template, then EkTola's registration of it with its mapping. */
async function registerAtBoth(simulatorUrl: string, admin: Api, template: typeof coupon, variables: object) {
  const atMeta = await fetch(`${simulatorUrl}/_sim/templates`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...template, status: 'APPROVED' }),
  });
  expect(atMeta.status).toBe(200);
  const { parameter_format: parameterFormat, ...fields } = template;
  return admin.call<{ id: string; placeholders: string[] }>('POST', '/v1/templates', {
    ...fields,
    parameterFormat,
    status: 'APPROVED',
    variables,
  });
}

interface LastMessage {
  lastMessage: { id: string; template?: { name: string; components: unknown[] } } | null;
}

describe('template components, end to end', () => {
  it('when a coupon campaign and a location campaign run, then Meta receives each code and place and accepts every message', async () => {
    const { admin, mintKey, simulator, schedulerPass, stack } = system();
    const operator = await mintKey('operator');
    const couponTemplate = await registerAtBoth(stack.urls.simulator, admin, coupon, {
      'body.1': { field: 'name', default: 'customer' },
      'button.0.coupon_code': { field: 'attributes.coupon' },
      'button.1.payload': { field: 'attributes.stop_payload', default: 'STOP_PROMOS' },
    });
    expect(couponTemplate.placeholders).toEqual(['body.1', 'button.0.coupon_code']);
    const branchTemplate = await registerAtBoth(stack.urls.simulator, admin, branch as typeof coupon, {
      'header.location.latitude': { field: 'attributes.branch_latitude' },
      'header.location.longitude': { field: 'attributes.branch_longitude' },
      'header.location.name': { field: 'attributes.branch_name' },
      'header.location.address': { field: 'attributes.branch_address' },
      'body.1': { field: 'name', default: 'customer' },
    });

    const couponPhones = [mobile(501), mobile(502)];
    const branchPhones = [mobile(601), mobile(602)];
    for (const [index, phone] of couponPhones.entries())
      await operator.call('POST', '/v1/contacts', {
        phone,
        name: `Coupon ${index}`,
        tags: ['coupon'],
        attributes: { coupon: `GOLD50${index}` },
      });
    for (const [index, phone] of branchPhones.entries())
      await operator.call('POST', '/v1/contacts', {
        phone,
        name: `Branch ${index}`,
        tags: ['branch'],
        attributes: {
          branch_latitude: 12.9716 + index,
          branch_longitude: '77.5946',
          branch_name: `EkTola Gold, branch ${index}`,
          branch_address: `${index + 1} MG Road, Bengaluru`,
        },
      });

    const startAt = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000).toISOString();
    const campaignOf = (name: string, templateId: string, tag: string) =>
      activeCampaign(operator, {
        name,
        templateId,
        recurrence: 'ONCE',
        timezone: 'UTC',
        startAt,
        audience: { tags: [tag] },
      });
    const campaigns = [
      await campaignOf('Cashback coupon', couponTemplate.id, 'coupon'),
      await campaignOf('Gold ready', branchTemplate.id, 'branch'),
    ];
    await schedulerPass(new Date(Date.parse(startAt) + 5_000).toISOString());
    for (const campaignId of campaigns) {
      const [run] = await eventually(async () => {
        const runs = await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
        return runs.length > 0 && runs;
      });
      const settled = await settledRun(operator, run!.id, 2);
      expect(settled.messages).toMatchObject({ total: 2, failed: 0, read: 2 });
    }

    const sentTo = async (phone: string) => (await simulator.recipient(phone)) as unknown as LastMessage;
    for (const [index, phone] of couponPhones.entries()) {
      // The simulator keeps the request as it read it: a button's index as a number.
      expect((await sentTo(phone)).lastMessage?.template).toMatchObject({
        name: 'e2e_gold_coupon',
        components: [
          { type: 'body', parameters: [{ type: 'text', text: `Coupon ${index}` }] },
          {
            type: 'button',
            sub_type: 'copy_code',
            index: 0,
            parameters: [{ type: 'coupon_code', coupon_code: `GOLD50${index}` }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 1,
            parameters: [{ type: 'payload', payload: 'STOP_PROMOS' }],
          },
        ],
      });
    }
    for (const [index, phone] of branchPhones.entries()) {
      expect((await sentTo(phone)).lastMessage?.template).toMatchObject({
        name: 'e2e_branch_location',
        components: [
          {
            type: 'header',
            parameters: [
              {
                type: 'location',
                location: {
                  latitude: 12.9716 + index,
                  longitude: 77.5946,
                  name: `EkTola Gold, branch ${index}`,
                  address: `${index + 1} MG Road, Bengaluru`,
                },
              },
            ],
          },
          { type: 'body', parameters: [{ type: 'text', text: `Branch ${index}` }] },
        ],
      });
    }
  });

  it('when Meta pauses a template, then the campaign sending it is PAUSED with the reason, by Meta', async () => {
    const { admin, mintKey, stack } = system();
    const operator = await mintKey('operator');
    const template = (await admin.all<{ id: string; name: string }>('/v1/templates')).find(
      (candidate) => candidate.name === 'e2e_gold_coupon',
    )!;
    const campaignId = await activeCampaign(operator, {
      name: 'Daily cashback',
      templateId: template.id,
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: '2030-01-01T04:30:00Z',
      audience: { tags: ['coupon'] },
    });
    const paused = await fetch(`${stack.urls.simulator}/_sim/template-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e_gold_coupon', language: 'en', event: 'PAUSED', reason: 'quality low' }),
    });
    expect(paused.ok).toBe(true);
    const campaign = await eventually(async () => {
      const current = await operator.call<{ status: string; pausedBy: string | null; pausedReason: string | null }>(
        'GET',
        `/v1/campaigns/${campaignId}`,
      );
      return current.status === 'PAUSED' && current;
    }, 30_000);
    expect(campaign).toMatchObject({
      pausedBy: 'meta',
      pausedReason: expect.stringContaining('template e2e_gold_coupon (en) paused by Meta: quality low'),
    });
    expect(await operator.call('GET', `/v1/templates/${template.id}`)).toMatchObject({ status: 'PAUSED' });
  });

  it("when an admin submits a template, then Meta reviews it and EkTola follows Meta's webhook to APPROVED", async () => {
    const { admin } = system();
    const response = await admin.fetch('POST', '/v1/templates', {
      name: 'e2e_submitted_reminder',
      language: 'en',
      category: 'UTILITY',
      submit: true,
      components: [{ type: 'BODY', text: 'Dear {{1}}, your gold loan EMI of {{2}} is due.' }],
      variables: { 'body.1': { field: 'name', default: 'customer' }, 'body.2': { field: 'attributes.loan_amount' } },
      examples: { 'body.2': '₹12,500' },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const submitted = (await response.json()) as { id: string; status: string; metaTemplateId: string };
    expect(submitted).toMatchObject({ status: 'PENDING', metaTemplateId: expect.stringMatching(/^\d+$/) });
    const approved = await eventually(
      async () => {
        const current = await admin.call<{ status: string }>('GET', `/v1/templates/${submitted.id}`);
        return current.status === 'APPROVED' && current;
      },
      60_000,
      500,
    );
    expect(approved).toMatchObject({ status: 'APPROVED', rejectedReason: null });
  });
});
