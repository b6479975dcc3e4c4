import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
const uploadLimit = 64 * 1024;

beforeAll(async () => {
  harness = await startHarness({ UPLOAD_LIMIT_BYTES: String(uploadLimit) });
});

afterAll(async () => {
  await harness?.close();
});

const csv = (text: string, headers: Record<string, string> = {}) =>
  harness.request({
    method: 'POST',
    url: '/v1/contacts/upload',
    headers: { 'content-type': 'text/csv', ...headers },
    payload: text,
  });

function multipart(fileText: string, boundary = 'ektola-boundary') {
  const payload = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="contacts.csv"',
    'Content-Type: text/csv',
    '',
    fileText,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const findByPhone = async (phone: string) => {
  const page = (await harness.request({ url: `/v1/contacts?search=${encodeURIComponent(phone)}` })).json();
  return page.items.find((contact: { phone: string }) => contact.phone === phone);
};

describe('POST /v1/contacts/upload', () => {
  it('when a CSV has a bad phone, an empty phone, a duplicate phone and an unknown column, then each row is answered and the good rows import', async () => {
    const response = await csv(
      [
        'phone,name,tags,loan_amount',
        '9876500001,Asha,vip;gold,12500',
        '12345,Bad Number,,',
        ',No Phone,,',
        '+91 98765 00001,Asha Kumari,,13000',
        '9876500002,Ravi,,',
      ].join('\n'),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      imported: 2,
      updated: 1,
      rejected: [
        { line: 3, reason: 'phone 12345 is not a valid phone number' },
        { line: 4, reason: 'phone is empty' },
      ],
      rejectedCount: 2,
    });
    const asha = await findByPhone('+919876500001');
    expect(asha).toMatchObject({ name: 'Asha Kumari', tags: [], attributes: { loan_amount: '13000' } });
  });

  it('when a phone already exists, then the upload updates that contact and keeps its opt-out', async () => {
    const created = (
      await harness.request({ method: 'POST', url: '/v1/contacts', payload: { phone: '9876500010', name: 'Meera' } })
    ).json();
    await harness.request({ method: 'POST', url: `/v1/contacts/${created.id}/opt-out` });
    const response = await csv('phone,city\n9876500010,Pune\n');
    expect(response.json()).toMatchObject({ imported: 0, updated: 1 });
    const contact = (await harness.request({ url: `/v1/contacts/${created.id}` })).json();
    expect(contact).toMatchObject({ name: 'Meera', optedOut: true, attributes: { city: 'Pune' } });
  });

  it('when the CSV comes as a multipart file, then it imports the same way', async () => {
    const { payload, headers } = multipart('phone,name\n9876500020,Kiran\n');
    const response = await harness.request({ method: 'POST', url: '/v1/contacts/upload', headers, payload });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ imported: 1, updated: 0, rejected: [] });
  });

  it('when a row has the wrong number of fields, then only that row is rejected', async () => {
    const response = await csv('phone,name\n9876500031,Fine\n9876500032,Too,Many\n');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      imported: 1,
      rejected: [{ line: 3, reason: 'has 3 fields; the header has 2' }],
    });
  });

  it('when a quote is left open until the end of the file, then the rows before it import and the rest is rejected', async () => {
    const response = await csv('phone,name\n9876500033,Before\n9876500034,"Never closed\n9876500035,Swallowed\n');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      imported: 1,
      rejectedCount: 1,
      rejected: [{ reason: expect.stringMatching(/^cannot be read as CSV: Quote Not Closed/) }],
    });
    expect(body.rejected[0].line).toBeGreaterThan(2);
  });

  it('when the header has no phone column, then the upload is a 400 and nothing imports', async () => {
    const response = await csv('name,mobile\nAsha,9876500040\n');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('no phone column');
  });

  it('when the upload is larger than the limit, then it is a 413 and nothing is imported', async () => {
    const rows = Array.from({ length: 4_000 }, (_, index) => `98765${String(50000 + index)},Name ${index}`);
    const response = await csv(`phone,name\n${rows.join('\n')}\n`);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(await findByPhone('+919876550000')).toBeUndefined();
  });

  it('when a multipart file is larger than the limit, then it is a 413 and nothing is imported', async () => {
    const rows = Array.from({ length: 4_000 }, (_, index) => `98766${String(50000 + index)},Name ${index}`);
    const { payload, headers } = multipart(`phone,name\n${rows.join('\n')}\n`);
    const response = await harness.request({ method: 'POST', url: '/v1/contacts/upload', headers, payload });
    expect(response.statusCode).toBe(413);
    expect(await findByPhone('+919876650000')).toBeUndefined();
  });

  it('when the body is JSON, then it is a 415', async () => {
    const response = await harness.request({ method: 'POST', url: '/v1/contacts/upload', payload: { phone: '1' } });
    expect(response.statusCode).toBe(415);
  });

  it('when an upload is retried with its Idempotency-Key, then the first answer is replayed; with another file, then it is a 409', async () => {
    const file = 'phone,name\n9876500050,Idem\n';
    const first = await csv(file, { 'idempotency-key': 'upload-1' });
    const again = await csv(file, { 'idempotency-key': 'upload-1' });
    expect(first.json()).toMatchObject({ imported: 1, updated: 0 });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await csv('phone,name\n9876500051,Other\n', { 'idempotency-key': 'upload-1' });
    expect(other.statusCode).toBe(409);
    expect(await findByPhone('+919876500051')).toBeUndefined();
  });
});

describe('contacts JSON API', () => {
  it('when a contact is created, read, changed and deleted, then each step answers as documented', async () => {
    const created = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { phone: '+91 98765 00100', name: 'Dev', tags: ['a', 'a', 'b'], attributes: { city: 'Goa' } },
    });
    expect(created.statusCode).toBe(201);
    const contact = created.json();
    expect(contact).toMatchObject({
      phone: '+919876500100',
      name: 'Dev',
      tags: ['a', 'b'],
      attributes: { city: 'Goa' },
      optedOut: false,
    });

    expect((await harness.request({ url: `/v1/contacts/${contact.id}` })).json()).toEqual(contact);
    const patched = await harness.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { name: null, tags: ['c'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: null, tags: ['c'], attributes: { city: 'Goa' } });

    expect((await harness.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}` })).statusCode).toBe(204);
    expect((await harness.request({ url: `/v1/contacts/${contact.id}` })).statusCode).toBe(404);
    expect((await harness.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}` })).statusCode).toBe(404);
  });

  it('when a contact opts out and back in, then its flag follows', async () => {
    const contact = (
      await harness.request({ method: 'POST', url: '/v1/contacts', payload: { phone: '9876500110' } })
    ).json();
    const out = (await harness.request({ method: 'POST', url: `/v1/contacts/${contact.id}/opt-out` })).json();
    expect(out).toMatchObject({ optedOut: true, optOutReason: 'api' });
    expect(out.optedOutAt).not.toBeNull();
    expect((await harness.request({ method: 'POST', url: `/v1/contacts/${contact.id}/opt-in` })).json()).toMatchObject({
      optedOut: false,
      optedOutAt: null,
    });
  });

  it('when the phone is invalid, then it is a 400 naming body.phone', async () => {
    const response = await harness.request({ method: 'POST', url: '/v1/contacts', payload: { phone: '12' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'body.phone', message: '12 is not a valid phone number' }]);
  });

  it('when a field has the wrong type, then it is a 400 naming that field', async () => {
    const response = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { phone: '9876500120', tags: 'vip' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('body.tags');
  });

  it('when the phone already belongs to a contact, then it is a 409', async () => {
    await harness.request({ method: 'POST', url: '/v1/contacts', payload: { phone: '9876500130' } });
    const response = await harness.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { phone: '+919876500130' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('contact_exists');
  });

  it('when contacts are listed by tag a page at a time, then every tagged contact appears once', async () => {
    for (const suffix of ['201', '202', '203']) {
      await harness.request({
        method: 'POST',
        url: '/v1/contacts',
        payload: { phone: `9876500${suffix}`, tags: ['paging'] },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/contacts?tag=paging&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await harness.request({ url: query })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((contact: { phone: string }) => contact.phone));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['+919876500201', '+919876500202', '+919876500203']);
  });

  it('when the cursor is not one we issued, then it is a 400 naming querystring.cursor', async () => {
    const response = await harness.request({ url: '/v1/contacts?cursor=garbage' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring.cursor');
  });

  it('when a POST is retried with the same Idempotency-Key and body, then the first answer is replayed and nothing new is created', async () => {
    const send = (payload: object) =>
      harness.request({ method: 'POST', url: '/v1/contacts', headers: { 'idempotency-key': 'create-dev' }, payload });
    const first = await send({ phone: '9876500300', name: 'Once' });
    const again = await send({ name: 'Once', phone: '9876500300' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const conflict = await send({ phone: '9876500301', name: 'Other' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('idempotency_key_reused');
    expect(await findByPhone('+919876500301')).toBeUndefined();
  });

  it('when no route matches, then it is a JSON 404', async () => {
    const response = await harness.request({ url: '/v1/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
