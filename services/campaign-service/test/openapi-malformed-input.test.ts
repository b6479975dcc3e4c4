import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

/**
 * Walks every operation the published OpenAPI document lists under /v1 with malformed input and
 * asserts a 4xx in the API's error shape every time: no input may answer 5xx. Each generated request
 * carries at least one value that is certainly wrong (a bad path id, a bad declared query value or a
 * bad body), so a 2xx would be a bug too.
 */

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema: JsonSchema | undefined;
}
interface MalformedRequest {
  pathValues: ReadonlyArray<readonly [string, string]>;
  query: Array<[string, string | string[]]>;
  contentType?: string;
  payload?: string;
}

const hundredKb = 100 * 1024;
const deepMarker = '"__deeply_nested__"';
/** Stand-ins expanded only when the request is sent, so a counterexample stays readable. */
const hugeMarkers: Record<string, string> = {
  '<100kb-x>': 'x'.repeat(hundredKb),
  '<100kb-9>': '9'.repeat(hundredKb),
  '<100kb-é>': 'é'.repeat(hundredKb / 2),
};
const expandHuge = (text: string) => text.replace(/<100kb-[x9é]>/g, (marker) => hugeMarkers[marker]!);
const withNul = fc.string({ maxLength: 12 }).map((text) => `${text}\u0000${text}`);
const huge = fc.constantFrom(...Object.keys(hugeMarkers));
const deeplyNested = fc
  .tuple(fc.integer({ min: 500, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, opener]) => `<deep ${opener} ${depth}>`);
const expandDeep = (text: string) =>
  text.replace(/<deep (\[|\{"a":) (\d+)>/g, (_marker, opener: string, depth: string) =>
    opener === '['
      ? '['.repeat(Number(depth)) + ']'.repeat(Number(depth))
      : opener.repeat(Number(depth)) + '1' + '}'.repeat(Number(depth)),
  );
const brokenJson = fc.constantFrom('{', '{"name":', '[1,', 'nul', '{"a":1}}', '\u0000', '{"a":"\\u0000"', '');
const anyJson = fc.jsonValue({ maxDepth: 3 });
const unknownFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).map((key) => `zz_${key}`),
  anyJson,
  { maxKeys: 3 },
);

const isConstrained = (schema: JsonSchema | undefined) =>
  !!schema &&
  (schema.enum !== undefined ||
    schema.format !== undefined ||
    schema.pattern !== undefined ||
    (schema.maxLength ?? Infinity) < hundredKb);

/** A query or path value its schema refuses whatever the route does with it. */
function badText(schema: JsonSchema | undefined): fc.Arbitrary<string | string[]> {
  const options: Array<fc.Arbitrary<string | string[]>> = [withNul, fc.tuple(fc.string(), fc.string())];
  if (isConstrained(schema) || schema?.type === 'integer' || schema?.type === 'number') options.push(huge);
  if (schema?.type === 'integer' || schema?.type === 'number')
    options.push(fc.constantFrom('abc', '1.5', '-3', '0', '1e999', 'NaN', ' ', '501'));
  if (schema?.enum) options.push(fc.string({ minLength: 1 }).filter((value) => !schema.enum!.includes(value)));
  if (schema?.format === 'uuid')
    options.push(
      fc.string({ minLength: 1, maxLength: 60 }).filter((value) => !/^[0-9a-f-]{36}$/i.test(value)),
      fc.constant('../..'),
    );
  return fc.oneof(...options);
}

/** A JSON value a property of this schema refuses; `deepMarker` stands for a deeply nested value. */
function badValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options: Array<fc.Arbitrary<unknown>> = [withNul, fc.constant(JSON.parse(deepMarker))];
  if (schema.type === 'string')
    options.push(
      fc.integer(),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
    );
  if (schema.type === 'string' && isConstrained(schema)) options.push(huge);
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean')
    options.push(fc.string({ maxLength: 5 }), fc.array(fc.integer(), { maxLength: 2 }));
  if (schema.type === 'array')
    options.push(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
  if (schema.type === 'object') options.push(fc.string(), fc.integer(), fc.array(fc.integer(), { maxLength: 2 }));
  return fc.oneof(...options);
}

const asJson = (value: unknown, deep: string) => JSON.stringify(value).replaceAll(deepMarker, deep);
const expand = (text: string) => expandDeep(expandHuge(text));

/** A body that is wrong as a whole or in one declared field, sometimes with unknown fields beside it. */
function badBody(schema: JsonSchema | undefined): fc.Arbitrary<{ contentType: string; payload: string }> {
  const json = (payload: fc.Arbitrary<string>) =>
    payload.map((text) => ({ contentType: 'application/json', payload: text }));
  const options = [
    json(brokenJson),
    json(deeplyNested),
    json(
      fc
        .oneof(fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 3 }), fc.constant(null), fc.boolean())
        .map((value) => JSON.stringify(value)),
    ),
    json(fc.tuple(withNul, anyJson).map(([key, value]) => JSON.stringify({ [key]: value }))),
    fc.record({
      contentType: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded'),
      payload: fc.string({ maxLength: 50 }),
    }),
  ];
  const properties = Object.entries(schema?.properties ?? {});
  if (properties.length > 0) {
    const wrongField = fc
      .constantFrom(...properties)
      .chain(([name, property]) => fc.tuple(fc.constant(name), badValue(property)));
    options.push(
      json(
        fc
          .tuple(wrongField, unknownFields, deeplyNested)
          .map(([[name, value], extra, deep]) => asJson({ ...extra, [name]: value }, deep)),
      ),
    );
  }
  return fc.oneof(...options);
}

/** The request's URL, stand-ins expanded, every value percent-encoded. */
function urlOf(operation: Operation, request: MalformedRequest): string {
  const encode = (text: string) => encodeURIComponent(expandHuge(text));
  let path = operation.path;
  for (const [name, value] of request.pathValues) path = path.replace(`{${name}}`, encode(value));
  const pairs = request.query.flatMap(([name, value]) =>
    [value].flat().map((item) => `${encode(name)}=${encode(item)}`),
  );
  return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
}

/** Malformed requests for one operation, each certainly wrong somewhere. */
function malformed(operation: Operation): fc.Arbitrary<MalformedRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const path = fc.tuple(
    ...pathParameters.map((parameter) =>
      badText(parameter.schema).map((value) => [parameter.name, [value].flat()[0]!] as const),
    ),
  );
  const extraQuery = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...queryParameters.map((parameter) => parameter.name), 'zz_unknown'),
        fc.string({ maxLength: 8 }),
      ),
      fc.string({ maxLength: 20 }),
    ),
    {
      maxLength: 3,
    },
  );
  const poisonedQuery =
    queryParameters.length > 0 && pathParameters.length === 0
      ? fc
          .constantFrom(...queryParameters)
          .chain((parameter) =>
            badText(parameter.schema).map((value) => [[parameter.name, value]] as Array<[string, string | string[]]>),
          )
      : fc.constant([] as Array<[string, string | string[]]>);
  const takesBody = operation.bodySchema !== undefined || ['post', 'patch', 'put'].includes(operation.method);
  const body = takesBody
    ? badBody(operation.bodySchema).map((value) => value as { contentType: string; payload: string } | undefined)
    : fc.constant(undefined);
  return fc
    .tuple(path, poisonedQuery, extraQuery, body)
    .map(([pathValues, poisoned, extra, payload]) => ({ pathValues, query: [...extra, ...poisoned], ...payload }));
}

let harness: Harness;
let operations: Operation[];

beforeAll(async () => {
  harness = await startHarness({ RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000' });
  const document = (await harness.request({ url: '/docs/json', key: null })).json() as {
    paths: Record<
      string,
      Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
    >;
  };
  operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method,
        path,
        parameters: operation.parameters ?? [],
        bodySchema: operation.requestBody?.content?.['application/json']?.schema,
      })),
    );
});

afterAll(async () => {
  await harness?.close();
});

const errorShape = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.arrayContaining([]) },
};

/** The operations that take no path, query or body input: reads of singletons, and signing out. */
const inputFreeOperations = [
  'DELETE /v1/sessions/current',
  'GET /v1/overview',
  'GET /v1/sessions/current',
  'GET /v1/settings/frequency-cap',
  'GET /v1/settings/rate-card',
  'GET /v1/settings/region-rules',
];

describe('malformed input on every operation of the OpenAPI document', () => {
  it('when the document is read, then it lists the API operations under /v1', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.some((operation) => operation.path === '/v1/contacts' && operation.method === 'get')).toBe(true);
    expect(operations.filter((operation) => operation.path.startsWith('/v1/senders')).length).toBe(6);
  });

  it('when sender fields are wrong in shape, then a 400 names each before Meta or PostgreSQL is asked', async () => {
    const cases = [
      { method: 'POST' as const, url: '/v1/senders', payload: { phoneNumberId: 'abc' }, path: 'body.phoneNumberId' },
      {
        method: 'POST' as const,
        url: '/v1/senders',
        payload: { phoneNumberId: '1', wabaId: 'x' },
        path: 'body.wabaId',
      },
      {
        method: 'PATCH' as const,
        url: '/v1/senders/00000000-0000-4000-8000-000000000000',
        payload: { mpsCap: 0 },
        path: 'body.mpsCap',
      },
      {
        method: 'POST' as const,
        url: '/v1/campaigns',
        payload: {
          name: 'c',
          templateId: '00000000-0000-4000-8000-000000000000',
          recurrence: 'ONCE',
          startAt: '2030-01-01T00:00:00Z',
          senders: ['not-a-uuid'],
        },
        path: 'body.senders.0',
      },
    ];
    for (const { path, ...request } of cases) {
      const response = await harness.request(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(400);
      expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    }
  });

  it('when a NUL byte comes in a query value, a path id or a JSON key, then it is a 400 naming the field before PostgreSQL sees it', async () => {
    const cases = [
      { url: '/v1/contacts?tag=%00', path: 'querystring.tag' },
      { url: '/v1/contacts?search=a%00b', path: 'querystring.search' },
      { url: '/v1/contacts/%00', path: 'params.id' },
      {
        method: 'POST' as const,
        url: '/v1/contacts',
        payload: { phone: '9876500001', attributes: { 'city\u0000': 'Pune' } },
        path: 'body.attributes',
      },
    ];
    for (const { path, ...request } of cases) {
      const response = await harness.request(request);
      expect(response.statusCode, request.url).toBe(400);
      expect(response.json().error.details, request.url).toEqual([{ path, message: expect.stringContaining('NUL') }]);
    }
  });

  it('when any operation gets malformed path ids, query values or bodies as an admin, then it answers a 4xx in the error shape, never a 5xx', async () => {
    // An operation that takes no input at all (a setting's GET) has nothing to get wrong; it is left out.
    const takingInput = operations.filter(
      (operation) => operation.parameters.length > 0 || ['post', 'patch', 'put'].includes(operation.method),
    );
    const inputFree = operations
      .filter((operation) => !takingInput.includes(operation))
      .map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)
      .sort();
    // Named one by one, so an operation that loses its parameters by mistake fails here instead of leaving the test.
    expect(inputFree).toEqual(inputFreeOperations);
    for (const operation of takingInput) {
      await fc.assert(
        fc.asyncProperty(malformed(operation), async (request) => {
          const url = urlOf(operation, request);
          const response = await harness.request({
            method: operation.method.toUpperCase() as 'GET',
            url,
            ...(request.contentType
              ? { headers: { 'content-type': request.contentType }, payload: expand(request.payload ?? '') }
              : {}),
          });
          const described = `${operation.method.toUpperCase()} ${url.slice(0, 300)} ${request.contentType ?? ''} ${(request.payload ?? '').slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, described).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, described).toBeLessThan(500);
          expect(response.json(), described).toMatchObject(errorShape);
          for (const detail of response.json().error.details)
            expect(detail, described).toEqual({ path: expect.any(String), message: expect.any(String) });
        }),
        { numRuns: 100 },
      );
    }
    // A hundred requests for each operation: the walk grows with the API, so it gets more than the default minute.
  }, 180_000);
});
