import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  testNatsUrl,
  uniqueNamespace,
  type TestDatabase,
} from '@ektola/platform/testing';
import { portSettings, startStack, type Stack } from '../../deploy/local/stack.ts';

/*
 * The end-to-end tests start the whole system as `npm start` does (every service its own process,
 * the simulator posting signed webhooks to the webhook-service) and then act only as a customer
 * would: through the public REST API, with the simulator's /_sim API standing in for what Meta's
 * side would show.
 */

const adminKey = 'e2e-admin-key-0123456789abcdef';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Api {
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** The raw answer, for asserting on refusals. */
  fetch(method: string, path: string, body?: unknown): Promise<Response>;
  uploadCsv<T>(csv: string): Promise<T>;
  /** Every item of a paged list, following `nextCursor`; small pages, so the cursors are exercised too. */
  all<T>(path: string): Promise<T[]>;
}

const pageSize = 25;

function apiClient(baseUrl: string, key: string): Api {
  const send = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const parse = async <T>(method: string, path: string, response: Response): Promise<T> => {
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  const client: Api = {
    call: async (method, path, body) => parse(method, path, await send(method, path, body)),
    fetch: send,
    uploadCsv: async (csv) =>
      parse('POST', '/v1/contacts/upload', await send('POST', '/v1/contacts/upload', csv, 'text/csv')),
    async all<T>(path: string) {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page: Page<T> = await client.call(
          'GET',
          `${path}${separator}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  };
  return client;
}

export interface SimulatorStats {
  accepted: number;
  rejectedTotal: number;
  rejected: Record<string, number>;
  messageKeys: { distinct: number; duplicates: number; repeated: Record<string, number> };
  webhooks: Record<string, number>;
  /** How late the simulator ran its callbacks, which is how late it stamped the sends it saw. */
  eventLoopDelayMs: { max: number; p99: number };
}

export interface System {
  stack: Stack;
  /** The development admin key `npm start` prints. */
  admin: Api;
  mintKey(role: 'operator' | 'viewer'): Promise<Api>;
  simulator: {
    stats(): Promise<SimulatorStats>;
    /** Meta accepts sends to this user and then reports them failed with `code`. */
    failRecipient(phone: string, code: number): Promise<void>;
    /** What the simulator knows of a user, `lastMessage` (id and template with its values) included. */
    recipient(phone: string): Promise<{ lastMessage: { id: string; template?: { components: unknown[] } } | null }>;
    /** Any other /_sim call (numbers, templates, what was sent), answered 200 or thrown. */
    call<T>(method: string, path: string, body?: unknown): Promise<T>;
  };
  /** One scheduler pass as the CronJob runs it, deciding as if it were `now`; it must exit 0. */
  schedulerPass(now: string): Promise<void>;
  /** Every line the processes wrote, for the report of a failed test. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * The stack on a fresh database, its own JetStream namespace and free ports, so test files run in
 * parallel with each other and with a developer's `npm start`.
 */
export async function startSystem(prefix: string, env: Record<string, string> = {}): Promise<System> {
  const database: TestDatabase = await createTestDatabase(`ektola_${prefix}`);
  const namespace = uniqueNamespace(prefix);
  const ports = Object.fromEntries(
    await Promise.all(portSettings.map(async (name) => [name, String(await freePort())] as const)),
  );
  const output: string[] = [];
  let stack: Stack | undefined;
  const cleanUp = async () => {
    await stack?.stop();
    await database.drop();
    await deleteNamespaceStreams(namespace);
  };
  try {
    stack = await startStack({
      env: {
        ...ports,
        DATABASE_URL: database.url,
        NATS_URL: testNatsUrl(),
        EKTOLA_NAMESPACE: namespace,
        EKTOLA_ADMIN_API_KEY: adminKey,
        LOG_LEVEL: 'info',
        ...env,
      },
      schedulerArgs: false,
      onOutput: (service, line) => output.push(`${service} | ${line}`),
    });
  } catch (error) {
    await cleanUp();
    throw new Error(`the stack did not start:\n${output.slice(-100).join('\n')}`, { cause: error });
  }
  const started = stack;
  const admin = apiClient(started.urls.api, adminKey);
  const simulator = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${started.urls.simulator}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    // Most admin calls answer 200; the ones that post to the webhook at once answer 202.
    if (!response.ok)
      throw new Error(`${method} ${path} on the simulator answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    stack: started,
    admin,
    async mintKey(role) {
      const { key } = await admin.call<{ key: string }>('POST', '/v1/api-keys', { name: `e2e ${role}`, role });
      return apiClient(started.urls.api, key);
    },
    simulator: {
      stats: () => simulator('GET', '/_sim/stats'),
      failRecipient: async (phone, code) => {
        await simulator('PUT', `/_sim/recipients/${phone.replace(/^\+/, '')}`, { failWith: code });
      },
      recipient: (phone) => simulator('GET', `/_sim/recipients/${phone.replace(/^\+/, '')}`),
      call: simulator,
    },
    async schedulerPass(now) {
      expect(
        await started.runScheduler(['--now', now]),
        `scheduler pass at ${now}:\n${output
          .filter((line) => line.startsWith('scheduler'))
          .slice(-20)
          .join('\n')}`,
      ).toBe(0);
    },
    output,
    stop: cleanUp,
  };
}

/**
 * One system for the test file: started before its tests, stopped (database dropped, streams
 * deleted) after them, and its processes' output printed for any test that fails.
 */
export function useSystem(prefix: string, env: Record<string, string> = {}): () => System {
  let system: System | undefined;
  beforeAll(async () => {
    system = await startSystem(prefix, env);
  });
  afterAll(async () => {
    await system?.stop();
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(report(system?.output ?? [])));
  });
  return () => system!;
}

/** The last lines the processes wrote, warnings and errors first: what to read when a test failed. */
function report(output: string[]): string {
  const problems = output.filter((line) => /"level":"(warn|error|fatal)"|"level":(4|5|6)0/.test(line));
  return `--- warnings and errors (${problems.length}) ---\n${problems.slice(-50).join('\n')}\n--- last lines ---\n${output.slice(-50).join('\n')}`;
}

/** The simulator's seed template `gold_loan_reminder` (en) as an admin registers it, its two placeholders mapped to contact fields. */
export async function registerGoldLoanReminder(admin: Api): Promise<{ id: string }> {
  const seed = JSON.parse(
    readFileSync(new URL('../whatsapp-simulator/templates/default-templates.json', import.meta.url), 'utf8'),
  ) as Array<{
    name: string;
    language: string;
    category: string;
    components: unknown[];
  }>;
  const template = seed.find((candidate) => candidate.name === 'gold_loan_reminder' && candidate.language === 'en')!;
  return admin.call('POST', '/v1/templates', {
    name: template.name,
    language: template.language,
    category: template.category,
    status: 'APPROVED',
    components: template.components,
    variables: { 'body.1': { field: 'name', default: 'customer' }, 'body.2': { field: 'attributes.loan_amount' } },
  });
}

export interface ContactRow {
  phone: string;
  name: string;
  tags: string[];
  loanAmount: string;
}

export const contactsCsv = (rows: ContactRow[]) =>
  [
    'phone,name,tags,loan_amount',
    ...rows.map((row) => [row.phone, row.name, row.tags.join(';'), `"${row.loanAmount}"`].join(',')),
  ].join('\n');

/** A valid Indian mobile number, distinct for every `index` below 10^8. */
export const mobile = (index: number) => `+9198${String(index).padStart(8, '0')}`;

export interface Contact {
  id: string;
  phone: string;
  tags: string[];
  optedOut: boolean;
}

export interface RunDetail {
  id: string;
  campaignId: string;
  periodKey: string;
  status: 'REQUESTED' | 'COMPLETED';
  completedAt: string | null;
  messages: {
    total: number;
    pending: number;
    sending: number;
    sent: number;
    delivered: number;
    read: number;
    failed: number;
    source: string;
  } | null;
}

export interface Message {
  id: string;
  contactId: string;
  phone: string;
  status: string;
  wamid: string | null;
  error: { code: number; message: string } | null;
}

/**
 * Waits until the run is COMPLETED and each of its `expected` messages is READ or FAILED, the two
 * states after which nothing more happens to a message here. Polls gently: the API limits each key
 * to 600 requests a minute.
 */
export function settledRun(api: Api, runId: string, expected: number, timeoutMs = 45_000): Promise<RunDetail> {
  return eventually(
    async () => {
      const run = await api.call<RunDetail>('GET', `/v1/runs/${runId}`);
      const counts = run.messages;
      return (
        run.status === 'COMPLETED' && counts?.total === expected && counts.read + counts.failed === expected && run
      );
    },
    timeoutMs,
    400,
  );
}

/** The campaign's operator flow: create the campaign, activate it, and hand back its id. */
export async function activeCampaign(api: Api, campaign: Record<string, unknown>): Promise<string> {
  const { id } = await api.call<{ id: string }>('POST', '/v1/campaigns', campaign);
  expect((await api.call<{ status: string }>('POST', `/v1/campaigns/${id}/activate`)).status).toBe('ACTIVE');
  return id;
}

/** Every item of a list, in pages of 500 (the API's largest), so 2,000 items take 4 requests. */
export async function everyItem<T>(api: Api, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await api.call(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A business number the simulator serves besides the default one, with its own display number and limit. */
export interface SimulatedNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** What Meta accepts from the number in any one-second window. */
  throughputMps: number;
}

/** The simulator's environment for several numbers (one WABA, the default one). */
export const simulatorNumbers = (numbers: SimulatedNumber[]) => ({ SIMULATOR_NUMBERS: JSON.stringify(numbers) });

export interface Sender {
  id: string;
  phoneNumberId: string;
  state: string;
  stateReason: string | null;
  mps: number;
  qualityRating: string | null;
}

export interface SenderDetail extends Sender {
  activity: {
    sentLastMinute: number;
    peakPerSecond: number;
    pending: number;
    sending: number;
    mps: number;
    heldReason: string | null;
  } | null;
}

/** An admin registers the number as a sender and caps it at `mpsCap` messages a second. */
export async function registerSender(admin: Api, number: SimulatedNumber, mpsCap: number): Promise<Sender> {
  const { id } = await admin.call<Sender>('POST', '/v1/senders', {
    phoneNumberId: number.phoneNumberId,
    label: `number ${number.displayPhoneNumber}`,
  });
  return admin.call<Sender>('PATCH', `/v1/senders/${id}`, { mpsCap });
}

/** One message Meta accepted, as the simulator recorded it. */
export interface AcceptedSend {
  id: string;
  phoneNumberId: string;
  to: string;
  acceptedAt: string;
  bizOpaqueCallbackData?: string;
  template?: { name: string };
}

/** Every send Meta accepted from the number (the simulator keeps the last 20,000), oldest first. */
export async function acceptedFrom(system: System, phoneNumberId: string): Promise<AcceptedSend[]> {
  const { data } = await system.simulator.call<{ data: AcceptedSend[] }>(
    'GET',
    `/_sim/messages?phoneNumberId=${phoneNumberId}&limit=10000`,
  );
  return data.reverse();
}

/** What the simulator counted for one number: attempts, accepted, refused, and the busiest second. */
export async function numberSends(
  system: System,
  phoneNumberId: string,
): Promise<{ attempts: number; accepted: number; rejected: number; maxPerSecond: number }> {
  const { sends } = await system.simulator.call<{
    sends: { attempts: number; accepted: number; rejected: number; maxPerSecond: number };
  }>('GET', `/_sim/numbers/${phoneNumberId}`);
  return sends;
}
