import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateStatusChanged } from '@ektola/platform/events';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { eventually, testNatsUrl } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';

const waba = '102290129340398';
let meta: FastifyInstance;
let created: Array<Record<string, unknown>>;
let harness: Harness;
let nc: NatsConnection;
let publisher: EventPublisher;

/**
 * Meta's `POST /{waba-id}/message_templates` as its reference describes it: `{id, status, category}` on
 * success, an `error` object otherwise. The name decides which answer a test gets.
 */
async function startMetaStub() {
  const app = Fastify();
  app.post<{ Params: { waba: string }; Body: Record<string, unknown> }>(
    '/v23.0/:waba/message_templates',
    async (request, reply) => {
      if (request.headers.authorization !== 'Bearer meta-token' || request.params.waba !== waba)
        return reply
          .code(401)
          .send({ error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
      const body = request.body;
      if (body.name === 'refused_by_meta')
        return reply.code(400).send({
          error: {
            message: 'Invalid parameter',
            type: 'OAuthException',
            code: 100,
            error_subcode: 2388043,
            error_user_title: 'Message template has variable parameters without samples',
            error_user_msg: 'Add sample text for each variable.',
          },
        });
      if (body.name === 'taken_at_meta')
        return reply.code(400).send({
          error: {
            message: 'Invalid parameter',
            code: 100,
            error_subcode: 2388024,
            error_user_msg: 'Content in this language already exists.',
          },
        });
      if (body.name === 'meta_down')
        return reply.code(500).send({ error: { message: 'An unknown error occurred', code: 1 } });
      created.push(body);
      return { id: String(594425479261596 + created.length), status: 'PENDING', category: body.category };
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

beforeAll(async () => {
  created = [];
  meta = await startMetaStub();
  const address = meta.server.address() as { port: number };
  harness = await startHarness({
    WHATSAPP_API_BASE_URL: `http://127.0.0.1:${address.port}/v23.0`,
    WHATSAPP_ACCESS_TOKEN: 'meta-token',
    WHATSAPP_BUSINESS_ACCOUNT_ID: waba,
  });
  nc = await connect({ servers: testNatsUrl() });
  publisher = createEventPublisher({ js: jetstream(nc), namespace: harness.namespace });
});

afterAll(async () => {
  await nc?.close();
  await harness?.close();
  await meta?.close();
});

const coupon = {
  language: 'en',
  category: 'MARKETING',
  submit: true,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
    { type: 'BODY', text: 'Use {{1}} for {{2}} off your next gold loan.' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'COPY_CODE' },
        { type: 'URL', text: 'Details', url: 'https://ektola.example/offers/{{1}}' },
        { type: 'QUICK_REPLY', text: 'Not interested' },
      ],
    },
  ],
  variables: {
    'header.1': { field: 'name', default: 'Asha' },
    'body.1': { field: 'attributes.coupon' },
    'body.2': { field: 'attributes.discount', default: '10%' },
    'button.0.coupon_code': { field: 'attributes.coupon' },
    'button.1.1': { field: 'attributes.offer' },
    'button.2.payload': { field: 'attributes.offer' },
  },
  examples: { 'body.1': 'GOLD10', 'button.0.coupon_code': 'GOLD10', 'button.1.1': 'diwali' },
};

const post = (payload: object) => harness.request({ method: 'POST', url: '/v1/templates', payload });
const get = async (id: string) => (await harness.request({ url: `/v1/templates/${id}` })).json();

describe('POST /v1/templates with submit', () => {
  it("when a template is submitted, then Meta gets it with an example for every placeholder and it is stored PENDING with Meta's id", async () => {
    const response = await post({ ...coupon, name: 'gold_coupon' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'PENDING',
      metaTemplateId: expect.stringMatching(/^\d+$/),
      placeholders: ['header.1', 'body.1', 'body.2', 'button.0.coupon_code', 'button.1.1'],
      optionalPlaceholders: ['button.2.payload'],
    });
    expect(created.at(-1)).toEqual({
      name: 'gold_coupon',
      language: 'en',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}', example: { header_text: ['Asha'] } },
        {
          type: 'BODY',
          text: 'Use {{1}} for {{2}} off your next gold loan.',
          example: { body_text: [['GOLD10', '10%']] },
        },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'COPY_CODE', example: 'GOLD10' },
            {
              type: 'URL',
              text: 'Details',
              url: 'https://ektola.example/offers/{{1}}',
              example: ['https://ektola.example/offers/diwali'],
            },
            { type: 'QUICK_REPLY', text: 'Not interested' },
          ],
        },
      ],
    });
  });

  it('when the template is NAMED, then its examples go as named parameters', async () => {
    const response = await post({
      name: 'named_reminder',
      language: 'en',
      category: 'UTILITY',
      parameterFormat: 'NAMED',
      submit: true,
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, {{amount}} is due.' }],
      variables: {
        'body.first_name': { field: 'name', default: 'Asha' },
        'body.amount': { field: 'attributes.amount' },
      },
      examples: { 'body.amount': '₹12,500' },
    });
    expect(response.statusCode).toBe(201);
    expect(created.at(-1)).toMatchObject({
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          example: {
            body_text_named_params: [
              { param_name: 'first_name', example: 'Asha' },
              { param_name: 'amount', example: '₹12,500' },
            ],
          },
        },
      ],
    });
  });

  it('when a placeholder has no example and no default, then it is a 422 naming it and Meta is not asked', async () => {
    const before = created.length;
    const response = await post({ ...coupon, name: 'no_examples', examples: { 'body.1': 'GOLD10' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'missing_examples' });
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toEqual([
      'body.examples.button.0.coupon_code',
      'body.examples.button.1.1',
    ]);
    expect(created.length).toBe(before);
    expect(
      (await harness.request({ url: '/v1/templates' })).json().items.map((t: { name: string }) => t.name),
    ).not.toContain('no_examples');
  });

  it('when an example names no placeholder, then it is a 400 naming it and Meta is not asked', async () => {
    const before = created.length;
    const response = await post({ ...coupon, name: 'stray_example', examples: { ...coupon.examples, 'body.9': 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toEqual([
      'body.examples.body.9',
    ]);
    expect(created.length).toBe(before);
  });

  it('when the coupon code is not mapped, then it is a 400 naming the key', async () => {
    const { 'button.0.coupon_code': _unmapped, ...variables } = coupon.variables;
    const response = await post({ ...coupon, name: 'unmapped_coupon', variables });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      {
        path: 'body.variables.button.0.coupon_code',
        message: 'placeholder button.0.coupon_code has no contact field mapped',
      },
    ]);
  });

  it("when Meta refuses the template, then it is a 422 with Meta's message, and nothing is stored", async () => {
    const response = await post({ ...coupon, name: 'refused_by_meta' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({
      code: 'meta_rejected',
      message: expect.stringContaining('Add sample text for each variable.'),
    });
    const names = (await harness.request({ url: '/v1/templates' })).json().items.map((t: { name: string }) => t.name);
    expect(names).not.toContain('refused_by_meta');
  });

  it("when Meta already has the name, then it is a 409; when Meta fails, then it is a 502 with Meta's message", async () => {
    const taken = await post({ ...coupon, name: 'taken_at_meta' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('Content in this language already exists.');
    const down = await post({ ...coupon, name: 'meta_down' });
    expect(down.statusCode).toBe(502);
    expect(down.json().error).toMatchObject({
      code: 'meta_failed',
      message: expect.stringContaining('An unknown error occurred'),
    });
  });

  it('when the name is taken here, then it is a 409 before Meta is asked', async () => {
    await post({ ...coupon, name: 'twice' });
    const before = created.length;
    const again = await post({ ...coupon, name: 'twice' });
    expect(again.statusCode).toBe(409);
    expect(created.length).toBe(before);
  });
});

describe('a submitted template through review', () => {
  it("when Meta's review approves it, then it becomes APPROVED; when Meta rejects one, then it is REJECTED with the reason", async () => {
    const approved = (await post({ ...coupon, name: 'reviewed_ok' })).json();
    const rejected = (await post({ ...coupon, name: 'reviewed_no' })).json();
    const occurredAt = new Date().toISOString();
    await publisher.publish(
      templateStatusChanged,
      {
        event: 'APPROVED',
        metaTemplateId: approved.metaTemplateId,
        name: 'reviewed_ok',
        language: 'en',
        reason: 'NONE',
        occurredAt,
      },
      { msgId: randomUUID() },
    );
    await publisher.publish(
      templateStatusChanged,
      {
        event: 'REJECTED',
        metaTemplateId: rejected.metaTemplateId,
        name: 'reviewed_no',
        language: 'en',
        reason: 'INVALID_FORMAT',
        occurredAt,
      },
      { msgId: randomUUID() },
    );
    await eventually(async () => (await get(approved.id)).status === 'APPROVED');
    await eventually(async () => (await get(rejected.id)).status === 'REJECTED');
    expect(await get(rejected.id)).toMatchObject({ rejectedReason: 'INVALID_FORMAT' });
    expect(await get(approved.id)).toMatchObject({ rejectedReason: null });
  });
});

describe('without a business account', () => {
  it('when submit is asked of an install with no WABA configured, then it is refused and nothing is stored', async () => {
    const local = await startHarness();
    try {
      const response = await local.request({
        method: 'POST',
        url: '/v1/templates',
        payload: { ...coupon, name: 'nowhere' },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('submit_not_configured');
      const plain = await local.request({
        method: 'POST',
        url: '/v1/templates',
        payload: { ...coupon, name: 'registered', submit: false, status: 'APPROVED' },
      });
      expect(plain.statusCode).toBe(201);
      expect(plain.json()).toMatchObject({ status: 'APPROVED', metaTemplateId: null });
    } finally {
      await local.close();
    }
  });
});
