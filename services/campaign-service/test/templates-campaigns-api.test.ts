import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMetaTemplates } from './fake-meta-templates.ts';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let meta: Awaited<ReturnType<typeof startFakeMetaTemplates>>;
let operatorKey: string;

const metaTemplates = [
  {
    id: '1001',
    name: 'gold_loan_reminder',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Dear {{1}}, your payment of {{2}} is due.' }],
    quality_score: { score: 'GREEN', date: 1767225600 },
  },
  {
    id: '1004',
    name: 'refused_offer',
    language: 'en',
    status: 'REJECTED',
    category: 'MARKETING',
    rejected_reason: 'PROMOTIONAL',
    components: [{ type: 'BODY', text: 'Offer!' }],
  },
  {
    id: '1002',
    name: 'festival_offer',
    language: 'hi',
    status: 'PENDING',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Offer!' }],
  },
  {
    id: '1003',
    name: 'strange_one',
    language: 'en',
    status: 'IN_APPEAL',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'x' }],
  },
];

beforeAll(async () => {
  meta = await startFakeMetaTemplates({
    businessAccountId: '102290129340398',
    accessToken: 'meta-token',
    templates: metaTemplates,
    pageSize: 2,
  });
  harness = await startHarness({
    WHATSAPP_API_BASE_URL: meta.baseUrl,
    WHATSAPP_ACCESS_TOKEN: 'meta-token',
    WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
  });
  operatorKey = (
    await harness.request({ method: 'POST', url: '/v1/api-keys', payload: { name: 'operator', role: 'operator' } })
  ).json().key;
});

afterAll(async () => {
  await harness?.close();
  await meta?.close();
});

const reminder = {
  name: 'payment_reminder',
  language: 'en',
  category: 'UTILITY',
  status: 'APPROVED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
    { type: 'BODY', text: 'Your payment of {{1}} is due on {{2}}.' },
  ],
  variables: {
    'header.1': { field: 'name', default: 'customer' },
    'body.1': { field: 'attributes.amount' },
    'body.2': { field: 'attributes.due', default: 'the due date' },
  },
};

const post = (url: string, payload?: object, key?: string) =>
  harness.request({ method: 'POST', url, ...(payload ? { payload } : {}), ...(key ? { key } : {}) });

async function createTemplate(overrides: object = {}) {
  const response = await post('/v1/templates', {
    ...reminder,
    name: `t_${Math.random().toString(36).slice(2, 10)}`,
    ...overrides,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string };
}

async function createCampaign(templateId: string, overrides: object = {}) {
  const response = await post(
    '/v1/campaigns',
    {
      name: 'Monthly reminder',
      templateId,
      recurrence: 'MONTHLY',
      startAt: '2030-01-05T04:30:00Z',
      audience: { tags: ['loan'] },
      ...overrides,
    },
    operatorKey,
  );
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; status: string };
}

describe('templates', () => {
  it('when a template maps every placeholder, then it is stored with its placeholders listed', async () => {
    const response = await post('/v1/templates', reminder);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      name: 'payment_reminder',
      status: 'APPROVED',
      parameterFormat: 'POSITIONAL',
      placeholders: ['header.1', 'body.1', 'body.2'],
    });
    const again = await post('/v1/templates', reminder);
    expect(again.statusCode).toBe(409);
  });

  it('when the mapping misses a placeholder, then it is a 400 naming it', async () => {
    const { 'body.2': _missing, ...variables } = reminder.variables;
    const response = await post('/v1/templates', { ...reminder, name: 'missing_one', variables });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: 'body.variables.body.2', message: 'placeholder body.2 has no contact field mapped' },
    ]);
  });

  it('when the mapping names a placeholder the components lack, then it is a 400 naming it', async () => {
    const response = await post('/v1/templates', {
      ...reminder,
      name: 'extra_one',
      variables: { ...reminder.variables, 'body.3': { field: 'phone' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('body.variables.body.3');
  });

  it('when a field is not a contact field or a component is malformed, then it is a 400 naming it', async () => {
    const badField = await post('/v1/templates', {
      ...reminder,
      name: 'bad_field',
      variables: { ...reminder.variables, 'body.1': { field: 'email' } },
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.details[0].path).toBe('body.variables.body.1.field');
    const badComponent = await post('/v1/templates', {
      ...reminder,
      name: 'bad_component',
      components: [{ type: 'BODY' }],
    });
    expect(badComponent.statusCode).toBe(400);
    expect(badComponent.json().error.details[0].path).toMatch(/^body\.components/);
  });

  it('when a template is changed, then the mapping is checked against the new components', async () => {
    const template = await createTemplate();
    const broken = await harness.request({
      method: 'PATCH',
      url: `/v1/templates/${template.id}`,
      payload: { components: [{ type: 'BODY', text: 'Only {{1}}' }] },
    });
    expect(broken.statusCode).toBe(400);
    const fixed = await harness.request({
      method: 'PATCH',
      url: `/v1/templates/${template.id}`,
      payload: { components: [{ type: 'BODY', text: 'Only {{1}}' }], variables: { 'body.1': { field: 'name' } } },
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().placeholders).toEqual(['body.1']);
    expect((await harness.request({ url: `/v1/templates/${template.id}`, key: operatorKey })).statusCode).toBe(200);
    expect((await harness.request({ url: '/v1/templates?status=APPROVED' })).json().items.length).toBeGreaterThan(0);
  });

  it('when a template no campaign uses is deleted, then it is gone; one in use is a 409', async () => {
    const unused = await createTemplate();
    expect((await harness.request({ method: 'DELETE', url: `/v1/templates/${unused.id}` })).statusCode).toBe(204);
    expect((await harness.request({ url: `/v1/templates/${unused.id}` })).statusCode).toBe(404);
    const used = await createTemplate();
    await createCampaign(used.id);
    const refused = await harness.request({ method: 'DELETE', url: `/v1/templates/${used.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('template_in_use');
  });

  it('when templates are synced from Meta, then every page is read, new ones created, known ones updated and mappings kept', async () => {
    const first = await post('/v1/templates/sync');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 3, updated: 0, skipped: [{ name: 'strange_one', language: 'en' }] });
    expect(meta.requests.length).toBe(2);
    const listed = (await harness.request({ url: '/v1/templates?limit=100' })).json().items;
    expect(listed.find((item: { name: string }) => item.name === 'refused_offer')).toMatchObject({
      status: 'REJECTED',
      rejectedReason: 'PROMOTIONAL',
      qualityScore: null,
    });

    const synced = (await harness.request({ url: '/v1/templates?limit=100' }))
      .json()
      .items.find((item: { name: string }) => item.name === 'gold_loan_reminder');
    expect(synced).toMatchObject({
      status: 'APPROVED',
      metaTemplateId: '1001',
      qualityScore: 'GREEN',
      rejectedReason: null,
      variables: {},
      placeholders: ['body.1', 'body.2'],
    });
    const mapped = await harness.request({
      method: 'PATCH',
      url: `/v1/templates/${synced.id}`,
      payload: { variables: { 'body.1': { field: 'name' }, 'body.2': { field: 'attributes.amount' } } },
    });
    expect(mapped.statusCode).toBe(200);

    const second = await post('/v1/templates/sync');
    expect(second.json()).toMatchObject({ created: 0, updated: 3 });
    expect((await harness.request({ url: `/v1/templates/${synced.id}` })).json().variables).toEqual({
      'body.1': { field: 'name' },
      'body.2': { field: 'attributes.amount' },
    });
  });
});

describe('campaigns', () => {
  let templateId: string;

  beforeAll(async () => {
    templateId = (await createTemplate()).id;
    for (const phone of ['9876520001', '9876520002'])
      await post('/v1/contacts', { phone, name: 'Loan customer', tags: ['loan'], attributes: { amount: '₹12,500' } });
  });

  it('when a campaign is created, then it is a DRAFT with the default time zone', async () => {
    const campaign = await createCampaign(templateId);
    expect(campaign).toMatchObject({
      status: 'DRAFT',
      timezone: 'Asia/Kolkata',
      recurrence: 'MONTHLY',
      audience: { tags: ['loan'] },
      endAt: null,
    });
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}` })).json()).toEqual(campaign);
    expect(
      (await harness.request({ url: '/v1/campaigns?status=DRAFT&limit=100' }))
        .json()
        .items.some((item: { id: string }) => item.id === campaign.id),
    ).toBe(true);
  });

  it('when the time zone, the end or the template is wrong, then it is a 400 naming the field', async () => {
    const zone = await post('/v1/campaigns', {
      name: 'x',
      templateId,
      recurrence: 'DAILY',
      timezone: 'Mars/Olympus',
      startAt: '2030-01-01T00:00:00Z',
    });
    expect(zone.json().error.details).toEqual([expect.objectContaining({ path: 'body.timezone' })]);
    const end = await post('/v1/campaigns', {
      name: 'x',
      templateId,
      recurrence: 'DAILY',
      startAt: '2030-01-02T00:00:00Z',
      endAt: '2030-01-01T00:00:00Z',
    });
    expect(end.statusCode).toBe(400);
    expect(end.json().error.details).toEqual([{ path: 'body.endAt', message: 'must be later than startAt' }]);
    const template = await post('/v1/campaigns', {
      name: 'x',
      templateId: '00000000-0000-4000-8000-000000000000',
      recurrence: 'ONCE',
      startAt: '2030-01-01T00:00:00Z',
    });
    expect(template.statusCode).toBe(400);
    expect(template.json().error.details[0].path).toBe('body.templateId');
    const recurrence = await post('/v1/campaigns', {
      name: 'x',
      templateId,
      recurrence: 'HOURLY',
      startAt: '2030-01-01T00:00:00Z',
    });
    expect(recurrence.json().error.details[0].path).toBe('body.recurrence');
  });

  it('when a campaign moves through its states, then each legal change happens and every illegal one is a 409', async () => {
    const campaign = await createCampaign(templateId);
    const act = async (action: string) => {
      const response = await post(`/v1/campaigns/${campaign.id}/${action}`, undefined, operatorKey);
      return { status: response.statusCode, body: response.json() };
    };
    const expectIllegal = async (actions: string[]) => {
      for (const action of actions) {
        const answer = await act(action);
        expect(answer.status, action).toBe(409);
        expect(answer.body.error.code, action).toBe('illegal_transition');
      }
    };
    await expectIllegal(['pause', 'resume']);
    expect((await act('activate')).body.status).toBe('ACTIVE');
    await expectIllegal(['activate', 'resume']);
    expect((await act('pause')).body.status).toBe('PAUSED');
    await expectIllegal(['activate', 'pause']);
    expect((await act('resume')).body.status).toBe('ACTIVE');
    expect((await act('cancel')).body.status).toBe('CANCELLED');
    await expectIllegal(['activate', 'pause', 'resume', 'cancel']);
  });

  it('when a DRAFT is cancelled, then nothing can move it again', async () => {
    const campaign = await createCampaign(templateId);
    expect((await post(`/v1/campaigns/${campaign.id}/cancel`, undefined, operatorKey)).json().status).toBe('CANCELLED');
    expect((await post(`/v1/campaigns/${campaign.id}/activate`, undefined, operatorKey)).statusCode).toBe(409);
  });

  it('when the template is not APPROVED, then activation is a 409 saying so', async () => {
    const pending = await createTemplate({ status: 'PENDING' });
    const campaign = await createCampaign(pending.id);
    const response = await post(`/v1/campaigns/${campaign.id}/activate`, undefined, operatorKey);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('template_not_approved');
  });

  it('when nobody in the audience can be messaged, then activation is a 409 saying so', async () => {
    const campaign = await createCampaign(templateId, { audience: { tags: ['nobody-has-this'] } });
    const response = await post(`/v1/campaigns/${campaign.id}/activate`, undefined, operatorKey);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('empty_audience');
  });

  it('when a campaign is edited, then only DRAFT and PAUSED campaigns change', async () => {
    const campaign = await createCampaign(templateId);
    const edit = (payload: object) =>
      harness.request({ method: 'PATCH', url: `/v1/campaigns/${campaign.id}`, payload, key: operatorKey });
    const drafted = await edit({ name: 'Renamed', endAt: '2031-01-01T00:00:00Z' });
    expect(drafted.statusCode).toBe(200);
    expect(drafted.json()).toMatchObject({ name: 'Renamed', endAt: '2031-01-01T00:00:00.000Z' });
    expect((await edit({ endAt: '2029-01-01T00:00:00Z' })).statusCode).toBe(400);
    await post(`/v1/campaigns/${campaign.id}/activate`, undefined, operatorKey);
    const active = await edit({ name: 'While active' });
    expect(active.statusCode).toBe(409);
    expect(active.json().error.code).toBe('not_editable');
    await post(`/v1/campaigns/${campaign.id}/pause`, undefined, operatorKey);
    expect((await edit({ name: 'While paused', endAt: null })).json()).toMatchObject({
      name: 'While paused',
      endAt: null,
    });
  });

  it('when a campaign has no runs yet, then its run list is empty; an unknown campaign is a 404', async () => {
    const campaign = await createCampaign(templateId);
    expect((await harness.request({ url: `/v1/campaigns/${campaign.id}/runs` })).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await harness.request({ url: '/v1/campaigns/00000000-0000-4000-8000-000000000000/runs' })).statusCode).toBe(
      404,
    );
    expect((await harness.request({ url: '/v1/campaigns/not-a-uuid' })).json().error.details[0].path).toBe('params.id');
  });
});

describe('OpenAPI', () => {
  const routes: Array<[string, string]> = [
    ['post', '/v1/contacts/upload'],
    ['post', '/v1/contacts'],
    ['get', '/v1/contacts'],
    ['get', '/v1/contacts/{id}'],
    ['patch', '/v1/contacts/{id}'],
    ['delete', '/v1/contacts/{id}'],
    ['post', '/v1/contacts/{id}/opt-out'],
    ['post', '/v1/contacts/{id}/opt-in'],
    ['post', '/v1/templates'],
    ['get', '/v1/templates'],
    ['get', '/v1/templates/{id}'],
    ['patch', '/v1/templates/{id}'],
    ['delete', '/v1/templates/{id}'],
    ['post', '/v1/templates/sync'],
    ['post', '/v1/campaigns'],
    ['get', '/v1/campaigns'],
    ['get', '/v1/campaigns/{id}'],
    ['patch', '/v1/campaigns/{id}'],
    ['post', '/v1/campaigns/{id}/activate'],
    ['post', '/v1/campaigns/{id}/pause'],
    ['post', '/v1/campaigns/{id}/resume'],
    ['post', '/v1/campaigns/{id}/cancel'],
    ['get', '/v1/campaigns/{id}/runs'],
    ['get', '/v1/runs/{id}'],
    ['get', '/v1/runs/{id}/messages'],
    ['get', '/v1/overview'],
    ['get', '/v1/runs/{id}/sends-per-minute'],
    ['post', '/v1/api-keys'],
    ['get', '/v1/api-keys'],
    ['delete', '/v1/api-keys/{id}'],
    ['post', '/v1/senders'],
    ['get', '/v1/senders'],
    ['get', '/v1/senders/{id}'],
    ['patch', '/v1/senders/{id}'],
    ['delete', '/v1/senders/{id}'],
    ['post', '/v1/senders/{id}/refresh'],
    ['get', '/healthz'],
    ['get', '/readyz'],
    ['get', '/metrics'],
  ];

  it('when /docs/json is fetched, then it is an OpenAPI 3 document listing every route with its operations', async () => {
    const response = await harness.request({ url: '/docs/json', key: null });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path] of routes) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(
        Object.keys(operation.responses ?? {}).length,
        `${method.toUpperCase()} ${path} responses`,
      ).toBeGreaterThan(0);
      for (const parameter of operation.parameters ?? []) {
        expect(['path', 'query', 'header', 'cookie']).toContain(parameter.in);
        expect(typeof parameter.name).toBe('string');
      }
      if (path.includes('{id}'))
        expect(
          operation.parameters.some(
            (parameter: { in: string; name: string }) => parameter.in === 'path' && parameter.name === 'id',
          ),
        ).toBe(true);
    }
    // A sender's answers name the statuses the registry can give: Meta's refusals among them.
    expect(Object.keys(document.paths['/v1/senders'].post.responses)).toEqual(
      expect.arrayContaining(['201', '409', '422', '502', '503']),
    );
    expect(document.paths['/v1/contacts'].post.requestBody.content['application/json'].schema.required).toContain(
      'phone',
    );
    expect((await harness.request({ url: '/docs', key: null })).statusCode).toBeLessThan(400);
  });

  it('when /docs/json is checked against the OpenAPI schema for its version, then it has no errors', async () => {
    const document = (await harness.request({ url: '/docs/json', key: null })).json();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\./);
  });

  it('when a copy of /docs/json is broken the ways a generator could break it, then the validator reports errors for each', async () => {
    // Without this, a validator that accepted anything would make the test above pass for nothing.
    const document = (await harness.request({ url: '/docs/json', key: null })).json();
    const breakages: Record<string, (copy: any) => void> = {
      'info without a title': (copy) => delete copy.info.title,
      'a response without a description': (copy) => (copy.paths['/v1/campaigns'].get.responses['200'] = {}),
      'a parameter in the body': (copy) => (copy.paths['/v1/campaigns/{id}'].get.parameters[0].in = 'body'),
      'a path not starting with /': (copy) => (copy.paths['v1/anywhere'] = copy.paths['/v1/campaigns']),
      'a $ref to nothing': (copy) =>
        (copy.paths['/v1/campaigns'].get.responses['200'] = { $ref: '#/components/responses/Nothing' }),
    };
    for (const [breakage, breakIt] of Object.entries(breakages)) {
      const copy = structuredClone(document);
      breakIt(copy);
      const result = await new Validator().validate(copy);
      expect(result.valid, breakage).toBe(false);
      expect(result.errors?.length, breakage).toBeGreaterThan(0);
    }
  });
});
