import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
let lists: string[];

const encode = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
const someId = '0b6f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21';

beforeAll(async () => {
  harness = await startHarness();
  const post = async (url: string, payload: object) => {
    const response = await harness.request({ method: 'POST', url, payload });
    expect(response.statusCode, url).toBe(201);
    return response.json() as { id: string };
  };
  for (const index of [1, 2]) {
    await post('/v1/contacts', { phone: `98765000${index}0` });
    await post('/v1/api-keys', { name: `key ${index}`, role: 'viewer' });
  }
  const template = await post('/v1/templates', {
    name: 'cursor_test',
    language: 'en',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hello' }],
  });
  await post('/v1/templates', {
    name: 'cursor_test_two',
    language: 'en',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hi' }],
  });
  const campaign = await post('/v1/campaigns', {
    name: 'one',
    templateId: template.id,
    recurrence: 'ONCE',
    startAt: '2030-01-01T10:00:00+05:30',
  });
  await post('/v1/campaigns', {
    name: 'two',
    templateId: template.id,
    recurrence: 'ONCE',
    startAt: '2030-01-01T10:00:00+05:30',
  });
  lists = ['/v1/contacts', '/v1/templates', '/v1/campaigns', '/v1/api-keys', `/v1/campaigns/${campaign.id}/runs`];
});

afterAll(async () => {
  await harness?.close();
});

describe('list cursors', () => {
  it('when a list is paged with its own cursor, then the next page answers', async () => {
    for (const list of lists.slice(0, 4)) {
      const first = (await harness.request({ url: `${list}?limit=1` })).json();
      expect(first.nextCursor, list).toEqual(expect.any(String));
      expect((await harness.request({ url: `${list}?limit=1&cursor=${first.nextCursor}` })).statusCode, list).toBe(200);
    }
  });

  it('when a cursor is tampered with or comes from another list, then every list answers 400 naming querystring.cursor', async () => {
    const contactsCursor = (await harness.request({ url: '/v1/contacts?limit=1' })).json().nextCursor as string;
    const apiKeysCursor = (await harness.request({ url: '/v1/api-keys?limit=1' })).json().nextCursor as string;
    const tampered = [
      encode(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      encode(['not-a-time', someId]),
      encode(['2026-13-45T99:99:99.000Z', someId]),
      encode(['x']),
      encode([someId, someId]),
      encode({ after: someId }),
      encode([1, 2]),
      'bm90IGpzb24',
      '!!!',
      `${apiKeysCursor}x`,
    ];
    for (const list of lists) {
      const foreign = list === '/v1/contacts' ? apiKeysCursor : contactsCursor;
      for (const cursor of [...tampered, foreign]) {
        const response = await harness.request({ url: `${list}?cursor=${encodeURIComponent(cursor)}` });
        expect(response.statusCode, `${list} ${cursor}`).toBe(400);
        expect(response.json().error.details[0].path, `${list} ${cursor}`).toBe('querystring.cursor');
      }
    }
  });
});
