import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  freePort,
  startServiceProcess,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import {
  portSettings,
  serviceCommandLineFlags,
  serviceNodeOptions,
  startStack,
  warmCompileCache,
  type Stack,
} from '../deploy/local/stack.ts';
import { httpPostCeiling, jetstreamPublishCeiling } from './ceilings.ts';
import { uploadContacts } from './contacts-csv.ts';
import { measureCsvExport } from './csv-export.ts';
import { createProductCpuMeter, postmasterOf, type ProductCpu } from './cpu-meter.ts';
import { templateSendBody } from './http-load.ts';
import { childPid, createMemoryMeter } from './process-memory.ts';
import { checks, renderReport, type BenchResult, type MultiSenderNumber, type Sample } from './report.ts';
import { statusesStoredAfter, whatsappLastSequence } from './stored-statuses.ts';
import { statusNotifications, webhookBurst } from './webhook-load.ts';

/*
 * `npm run bench`: the stack exactly as `npm start` runs it (every service its own process) on a
 * fresh database, its own JetStream namespace and free ports, driven through the public REST API:
 * upload N contacts, register a template, create and activate a ONCE campaign for all of them, run
 * the scheduler once, and follow the run until every message is READ or FAILED. Timings come from the
 * dispatcher's own rows (created_at, sent_at, updated_at) on the database's clock; the chart from its
 * run counters sampled every 250 ms. Then, with the dispatcher stopped, a separate burst of signed
 * status webhooks against the webhook-service. The machine's ceilings, the audience preview and the
 * callback-service's delivery rate (bench/callback-bench.ts) and a sending-only dispatcher run
 * (bench/dispatch-bench.ts) are measured first, before the stack starts. CPU per message is read
 * from /proc for the dispatcher, the webhook-service, the bench database's PostgreSQL backends and
 * nats-server, from the scheduler pass to the last READ (the campaign-service and the scheduler stream
 * the audience and are left out, as are the simulator and the bench, which stand for Meta).
 *
 * Progress goes to stderr; the last line on stdout is the JSON result, also written to
 * bench/results/<time>.json with a report <time>.svg. Exit code 1 when any message was lost or sent
 * twice, or the run did not settle.
 *
 *   BENCH_N (100000)                 contacts, all in the campaign's audience
 *   BENCH_WEBHOOK_N (30000)          status webhooks in the measured burst, after BENCH_WEBHOOK_WARMUP (3000)
 *   BENCH_WEBHOOK_CONCURRENCY (128)  connections of the burst
 *   BENCH_WEBHOOK_BATCH (50)         statuses per simulator webhook POST during the run
 *   BENCH_SEND_ONLY_N (20000)        messages of the sending-only phase (bench/dispatch-bench.ts with
 *                                    BENCH_WEBHOOKS=false, before the stack starts); 0 skips it
 *   BENCH_STALL_S (60)               give up when no message moved for this long
 *   BENCH_LOG_LEVEL (warn)           the services' LOG_LEVEL; their warnings and errors are echoed to stderr
 *   DISPATCHER_<VAR>                 passed to the dispatcher as <VAR> (e.g. DISPATCHER_SEND_CONCURRENCY=16);
 *                                    its own limiter is off (WHATSAPP_RATE_LIMIT=false), since send_mps is
 *                                    measured with Meta unthrottled and a number's 1,000/s cap would be all
 *                                    it showed; DISPATCHER_WHATSAPP_RATE_LIMIT=true measures with the limit
 *                                    at WHATSAPP_MPS=1000
 *   SIMULATOR_<VAR>                  passed to the simulator (e.g. SIMULATOR_WEBHOOK_BATCH_WINDOW_MS=20)
 */

const messages = Number(process.env.BENCH_N ?? 100_000);
const webhookWarmup = Number(process.env.BENCH_WEBHOOK_WARMUP ?? 3_000);
const webhookCount = Number(process.env.BENCH_WEBHOOK_N ?? 30_000);
const webhookConcurrency = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 128);
const stallMs = Number(process.env.BENCH_STALL_S ?? 60) * 1000;
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const natsUrl = testNatsUrl();
const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
const accessToken = 'bench-access-token';
const phoneNumberId = '106540352242922';
const simulatorEntry = 'test/whatsapp-simulator/src/main.ts';
const unthrottled = {
  SIMULATOR_THROUGHPUT_MPS: 'unlimited',
  SIMULATOR_PAIR_INTERVAL_MS: '0',
  SIMULATOR_TIER_LIMIT: 'unlimited',
  // The number as Meta describes it, too: at the simulator's default TIER_10K the campaign-service
  // announces a 10,000-recipient daily limit and the dispatcher holds the rest of the run, as it must.
  SIMULATOR_NUMBERS: JSON.stringify([{ phoneNumberId, messagingLimit: 'TIER_UNLIMITED' }]),
};

const startedAt = new Date();
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)}s] ${message}\n`);
/** This process's variables starting with `prefix` (ports aside), the prefix kept or cut off. */
const withPrefix = (prefix: string, cut: boolean) =>
  Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => key.startsWith(prefix) && !portSettings.includes(key))
      .map(([key, value]) => [cut ? key.slice(prefix.length) : key, value ?? '']),
  );

/** The machine's ceilings, with nothing of the stack running yet: a simulator process of its own, unthrottled and without webhooks. */
async function measureCeilings(): Promise<{ http: number; jetstream: number }> {
  const jetstream = await jetstreamPublishCeiling({ natsUrl, namespace: uniqueNamespace('benchceil') });
  const simulator = startServiceProcess(simulatorEntry, {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WHATSAPP_ACCESS_TOKEN: accessToken,
    ...unthrottled,
  });
  try {
    await simulator.waitForOutput(/"msg":"simulator listening"/);
    const url = /"url":"(http:\/\/[^"]+)"/.exec(simulator.output())![1]!;
    const http = await httpPostCeiling({
      url: `${url}/v23.0/${phoneNumberId}/messages`,
      body: (index) => templateSendBody(index, 'ceiling'),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    });
    return { http, jetstream };
  } finally {
    simulator.kill('SIGTERM');
    await simulator.exited;
  }
}

async function api<T>(stack: Stack, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The simulator's seed template `gold_loan_reminder` (en), its placeholders mapped to the CSV's name and loan_amount. */
async function registerTemplate(stack: Stack): Promise<string> {
  const seed = JSON.parse(
    readFileSync(new URL('../test/whatsapp-simulator/templates/default-templates.json', import.meta.url), 'utf8'),
  ) as Array<{
    name: string;
    language: string;
    category: string;
    components: unknown[];
  }>;
  const template = seed.find((candidate) => candidate.name === 'gold_loan_reminder' && candidate.language === 'en')!;
  const { id } = await api<{ id: string }>(stack, 'POST', '/v1/templates', {
    name: template.name,
    language: template.language,
    category: template.category,
    status: 'APPROVED',
    components: template.components,
    variables: { 'body.1': { field: 'name', default: 'customer' }, 'body.2': { field: 'attributes.loan_amount' } },
  });
  return id;
}

type Sql = ReturnType<typeof postgres>;

interface Counters {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/** The dispatcher's run counters (one run in this database), read cheaply enough to poll. */
async function counters(sql: Sql): Promise<Counters> {
  const [row] = await sql<[{ total: number; sent: number; delivered: number; read: number; failed: number }]>`
    select coalesce(sum(total), 0)::int as total, coalesce(sum(sent), 0)::int as sent, coalesce(sum(delivered), 0)::int as delivered,
           coalesce(sum(read), 0)::int as read, coalesce(sum(failed), 0)::int as failed
      from dispatch.run_progress`;
  return row;
}

/** Polls the counters every 250 ms until every expected message is READ or FAILED, or nothing moved for `stallMs`. */
async function followRun(
  sql: Sql,
  expected: () => number | undefined,
  samples: Array<Counters & { time: number }>,
  abandoned: () => boolean,
): Promise<boolean> {
  let lastChange = Date.now();
  let previous = '';
  while (!abandoned()) {
    const now = Date.now();
    const current = await counters(sql);
    samples.push({ ...current, time: now });
    const key = JSON.stringify(current);
    if (key !== previous) lastChange = now;
    previous = key;
    const want = expected();
    if (want !== undefined && current.total === want && current.read + current.failed === want) return true;
    if (now - lastChange > stallMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Timings from the dispatcher's rows, all on the database's clock. */
async function timings(sql: Sql, runCreated: Date) {
  const [row] = await sql<
    [
      {
        stored: number;
        contacts: number;
        last_stored: Date | null;
        sent: number;
        last_sent: Date | null;
        p50: number | null;
        p99: number | null;
        terminal: number;
        last_terminal: Date | null;
        with_wamid: number;
      },
    ]
  >`
    select count(*)::int as stored,
           count(distinct contact_id)::int as contacts,
           max(created_at) as last_stored,
           count(sent_at)::int as sent,
           max(sent_at) as last_sent,
           percentile_cont(0.5) within group (order by extract(epoch from sent_at - created_at) * 1000) as p50,
           percentile_cont(0.99) within group (order by extract(epoch from sent_at - created_at) * 1000) as p99,
           (count(*) filter (where status in ('READ', 'FAILED')))::int as terminal,
           max(updated_at) filter (where status in ('READ', 'FAILED')) as last_terminal,
           count(wamid)::int as with_wamid
      from dispatch.messages`;
  const since = (time: Date | null) => (time ? (time.getTime() - runCreated.getTime()) / 1000 : Number.NaN);
  return {
    stored: row.stored,
    contacts: row.contacts,
    fanoutS: since(row.last_stored),
    sent: row.sent,
    sendS: since(row.last_sent),
    p50Ms: row.p50 ?? Number.NaN,
    p99Ms: row.p99 ?? Number.NaN,
    terminal: row.terminal,
    lifecycleS: since(row.last_terminal),
    withWamid: row.with_wamid,
  };
}

const round = (value: number, digits = 0) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : -1);

log(`ceilings first, on a quiet stack`);
const ceilings = await measureCeilings();
log(`ceilings: http ${Math.round(ceilings.http)}/s, jetstream ${Math.round(ceilings.jetstream)}/s`);
// Its own process and database, before the stack starts, so the preview has the machine to itself.
log('audience preview over 1,000,000 contacts');
// The service logs to stdout too; the result is the line that carries it.
const previewLine = execFileSync(process.execPath, [new URL('./audience-preview.ts', import.meta.url).pathname], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .split('\n')
  .findLast((line) => line.includes('"preview_s"'));
if (!previewLine) throw new Error('bench/audience-preview.ts printed no result');
const preview = JSON.parse(previewLine) as { preview_s: number; time_preview_s: number };
log(`audience preview: ${preview.preview_s} s, date-time condition ${preview.time_preview_s} s (target ≤ 1 s each)`);

// The callback-service alone with a local receiver, before the stack starts, for the same reason.
log('callbacks to a local receiver, alone and beside a 1 s endpoint');
const callbackLine = execFileSync(process.execPath, [new URL('./callback-bench.ts', import.meta.url).pathname], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .split('\n')
  .findLast((line) => line.includes('"callbacks_per_s"'));
if (!callbackLine) throw new Error('bench/callback-bench.ts printed no result');
const callbacks = JSON.parse(callbackLine) as { callbacks_per_s: number; callbacks_slow_ratio: number };
log(
  `callbacks: ${callbacks.callbacks_per_s}/s (target ≥ 2,000), beside a 1 s endpoint ×${callbacks.callbacks_slow_ratio} (target ≥ 0.9)`,
);

// The separate dispatcher runs below start it with the flags the stack gives it, unless the caller sets its own.
const dispatcherAsInTheStack = {
  DISPATCHER_NODE_OPTIONS: serviceNodeOptions.join(' '),
  BENCH_DISPATCHER_NODE_FLAGS: (serviceCommandLineFlags['dispatcher-service'] ?? []).join(' '),
};

// Sending alone (the simulator's webhooks off), in its own world, for what a send costs without its statuses.
const sendOnlyN = Number(process.env.BENCH_SEND_ONLY_N ?? 20_000);
const noCpu: ProductCpu = { dispatcher: -1, webhook: -1, postgres: -1, nats: -1, product: -1 };
let sendOnly: BenchResult['send_only'] = { mps: -1, cpu_ms_per_msg: noCpu };
if (sendOnlyN > 0) {
  log(`sending only: ${sendOnlyN} messages through the dispatcher, webhooks off`);
  const sendOnlyLine = execFileSync(process.execPath, [new URL('./dispatch-bench.ts', import.meta.url).pathname], {
    encoding: 'utf8',
    env: {
      ...dispatcherAsInTheStack,
      ...process.env,
      BENCH_N: String(sendOnlyN),
      BENCH_WEBHOOKS: 'false',
      BENCH_UNTIL: 'sent',
      BENCH_WARM: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .split('\n')
    .findLast((line) => line.includes('"cpu_ms_per_msg"'));
  if (!sendOnlyLine) throw new Error('bench/dispatch-bench.ts printed no result');
  type Measured = { sent_per_s: number; cpu_ms_per_msg: ProductCpu };
  const measured = JSON.parse(sendOnlyLine) as Measured & { warm: Measured };
  sendOnly = {
    mps: measured.sent_per_s,
    cpu_ms_per_msg: measured.cpu_ms_per_msg,
    warm: { mps: measured.warm.sent_per_s, cpu_ms_per_msg: measured.warm.cpu_ms_per_msg },
  };
  log(`sending only: ${sendOnly.mps}/s, ${JSON.stringify(sendOnly.cpu_ms_per_msg)} CPU-ms per message`);
  log(`sending only again, warm: ${measured.warm.sent_per_s}/s, ${JSON.stringify(measured.warm.cpu_ms_per_msg)}`);
}

// Four numbers at 1,000/s each with the dispatcher's per-number limiter on, in its own world: the spread and the limits.
const multiN = Number(process.env.BENCH_MULTI_N ?? 100_000);
let multiSender = { mps: -1, per_number: [] as MultiSenderNumber[], duplicates: 0, cpu_ms_per_msg: noCpu };
if (multiN > 0) {
  log(`several numbers: ${multiN} messages over four numbers at 1,000/s each, the dispatcher's limiter on`);
  const multiLine = execFileSync(process.execPath, [new URL('./multi-sender-bench.ts', import.meta.url).pathname], {
    encoding: 'utf8',
    env: { ...dispatcherAsInTheStack, ...process.env, BENCH_MULTI_N: String(multiN) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .split('\n')
    .findLast((line) => line.includes('"per_number"'));
  if (!multiLine) throw new Error('bench/multi-sender-bench.ts printed no result');
  multiSender = JSON.parse(multiLine) as typeof multiSender;
  log(
    `several numbers: ${multiSender.mps}/s, ${JSON.stringify(multiSender.per_number)}, duplicates ${multiSender.duplicates}, ${JSON.stringify(multiSender.cpu_ms_per_msg)} CPU-ms per message`,
  );
}

const database = await createTestDatabase('ektola_bench');
const namespace = uniqueNamespace('bench');
const ports = Object.fromEntries(
  await Promise.all(portSettings.map(async (name) => [name, String(await freePort())] as const)),
);
let stack: Stack | undefined;
let sql: Sql | undefined;
let cleaning: Promise<void> | undefined;
let interrupted = false;
/** Stops the stack, drops the database and deletes the streams, once, whoever asks first (the end of the run or a signal). */
const cleanUp = () =>
  (cleaning ??= (async () => {
    log('stopping the stack');
    await sql?.end({ timeout: 5 });
    await stack?.stop();
    await database.drop();
    await deleteNamespaceStreams(namespace, natsUrl);
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}`);
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

let exitCode = 0;
try {
  // As in the image: every service finds its modules compiled and starts without a TypeScript transpiler.
  warmCompileCache([
    'campaign-service',
    'webhook-service',
    'dispatcher-service',
    'scheduler-service',
    'callback-service',
  ]);
  log(`starting the stack (namespace ${namespace}, database ${database.name})`);
  stack = await startStack({
    env: {
      ...ports,
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      EKTOLA_NAMESPACE: namespace,
      EKTOLA_ADMIN_API_KEY: adminKey,
      WHATSAPP_ACCESS_TOKEN: accessToken,
      LOG_LEVEL: logLevel,
      WHATSAPP_MPS: '1000',
      ...unthrottled,
      SIMULATOR_WEBHOOK_BATCH_SIZE: process.env.BENCH_WEBHOOK_BATCH ?? '50',
      ...withPrefix('SIMULATOR_', false),
    },
    serviceEnv: { 'dispatcher-service': { WHATSAPP_RATE_LIMIT: 'false', ...withPrefix('DISPATCHER_', true) } },
    schedulerArgs: false,
    onOutput: (service, line) => {
      if (!cleaning && /"level":(40|50|60)\b|"level":"(warn|error|fatal)"/.test(line))
        process.stderr.write(`${service} | ${line}\n`);
    },
  });
  const running = stack;
  // Every process of the stack by name, and a scheduler pass while one runs (it is not in stack.services).
  let schedulerPid: number | undefined;
  const memory = createMemoryMeter(() => [
    ...running.services.map((service) => ({ name: service.name, pid: service.child.pid })),
    { name: 'scheduler-service', pid: schedulerPid },
  ]);
  sql = postgres(database.url, { max: 2, onnotice: () => undefined });

  log(`uploading ${messages} contacts`);
  const upload = await uploadContacts(running.urls.api, adminKey, messages);
  const eligible = upload.result.imported + upload.result.updated;
  log(`import: ${upload.seconds.toFixed(2)} s, ${JSON.stringify(upload.result)}`);

  const templateId = await registerTemplate(running);
  const { id: campaignId } = await api<{ id: string }>(running, 'POST', '/v1/campaigns', {
    name: `Benchmark ${startedAt.toISOString()}`,
    templateId,
    audience: { tags: ['loan'] },
    recurrence: 'ONCE',
    timezone: 'Asia/Kolkata',
    startAt: new Date(Date.now() - 60_000).toISOString(),
  });
  await api(running, 'POST', `/v1/campaigns/${campaignId}/activate`);

  const polled: Array<Counters & { time: number }> = [];
  let expected: number | undefined;
  // Sampling starts before the pass, so the chart has the run's first moments; it ends if the bench fails meanwhile.
  const following = followRun(
    sql,
    () => expected,
    polled,
    () => cleaning !== undefined,
  ).catch(() => false);
  const [{ pid: backendPid } = { pid: 0 }] = await sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
  const serviceNamed = (name: string) => running.services.find((service) => service.name === name)?.child.pid;
  const cpu = createProductCpuMeter({
    dispatcherPid: serviceNamed('dispatcher-service'),
    webhookPid: serviceNamed('webhook-service'),
    postmasterPid: postmasterOf(backendPid),
    natsPort: Number(new URL(natsUrl).port || 4222),
    databaseName: database.name,
  });
  log('one scheduler pass');
  const pass = running.runScheduler();
  schedulerPid = childPid('scheduler-service/src/main.ts');
  const passExit = await pass;
  schedulerPid = undefined;
  if (passExit !== 0) throw new Error(`the scheduler pass exited with ${passExit}`);
  const runs = await api<{ items: Array<{ id: string; createdAt: string }> }>(
    running,
    'GET',
    `/v1/campaigns/${campaignId}/runs`,
  );
  if (runs.items.length !== 1) throw new Error(`expected one run, the campaign has ${runs.items.length}`);
  const run = runs.items[0]!;
  const runCreated = new Date(run.createdAt);
  expected = eligible;
  log(`run ${run.id} created at ${run.createdAt}; following it to READ`);
  const settled = await following;
  const lifecycleCpu = cpu.stop(eligible);
  log(`CPU per message, full lifecycle: ${JSON.stringify(lifecycleCpu.perMessage)} ms`);
  const figures = await timings(sql, runCreated);
  log(`run ${settled ? 'settled' : 'STALLED'}: ${JSON.stringify(figures)}`);

  const stats = (await (await fetch(`${running.urls.simulator}/_sim/stats`)).json()) as {
    accepted: number;
    messageKeys: { distinct: number; duplicates: number };
  };
  // Lost: eligible contacts with no message that ended READ or FAILED, plus sends the database counts that Meta never accepted.
  const lost = Math.max(0, eligible - figures.terminal) + Math.max(0, figures.withWamid - stats.messageKeys.distinct);

  // The run's CSV export, streamed through the campaign-service from the dispatcher. Optional: a failure
  // here is logged and shown as -1, and the rest of the bench still reports.
  let exported = { seconds: Number.NaN, peakRssMb: Number.NaN };
  try {
    const campaignPid = running.services.find((service) => service.name === 'campaign-service')?.child.pid;
    const csv = await measureCsvExport({ apiUrl: running.urls.api, apiKey: adminKey, runId: run.id, campaignPid });
    if (csv.rows !== figures.stored) throw new Error(`the export had ${csv.rows} rows, the run ${figures.stored}`);
    exported = csv;
    log(
      `CSV export: ${csv.rows} rows in ${csv.seconds.toFixed(2)} s, campaign-service ${csv.rssBeforeMb} → ${csv.peakRssMb} MB`,
    );
  } catch (error) {
    log(`CSV export failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  // The burst measures the ingress (verified, parsed, acknowledged by JetStream), so the dispatcher, whose
  // consumption of these statuses would share the same two cores, stops first (gracefully); in a cluster
  // they run on different nodes. The run's figures and the dispatcher's peak memory are taken already.
  await running.kill('dispatcher-service', 'SIGTERM');
  log(`webhook burst: ${webhookWarmup} + ${webhookCount} signed statuses, the dispatcher stopped`);
  // Statuses about the run's real messages (matched, then ignored as already READ) under wamids of their own,
  // so each is a new event JetStream stores rather than a duplicate it drops.
  const known = await sql<
    Array<{ id: string; phone: string }>
  >`select id, phone from dispatch.messages order by id limit ${Math.ceil((webhookWarmup + webhookCount) / 3)}`;
  const target = (phase: string) => (message: number) => {
    const real = known[message % Math.max(1, known.length)];
    return {
      wamid: `wamid.bench.${phase}.${message}`,
      callbackData: real?.id ?? crypto.randomUUID(),
      recipientId: (real?.phone ?? '+919000000000').slice(1),
    };
  };
  const webhookUrl = `${running.urls.webhook}/webhooks/whatsapp`;
  const appSecret = running.settings.WHATSAPP_APP_SECRET!;
  const storedBefore = await whatsappLastSequence(natsUrl, namespace);
  await webhookBurst(webhookUrl, statusNotifications(webhookWarmup, appSecret, target('warmup')), webhookConcurrency);
  const burst = await webhookBurst(
    webhookUrl,
    statusNotifications(webhookCount, appSecret, target('measured')),
    webhookConcurrency,
  );
  const stored = await statusesStoredAfter(natsUrl, namespace, storedBefore);
  if (stored !== webhookWarmup + webhookCount) {
    throw new Error(`the WHATSAPP stream gained ${stored} statuses, expected ${webhookWarmup + webhookCount}`);
  }
  const rss = memory.stop();
  log(`webhook burst: ${round(burst.rps)}/s, p99 ${round(burst.p99Ms)} ms (targets ≥ 5,000/s, p99 < 250 ms)`);

  const result: BenchResult = {
    import_s: round(upload.seconds, 2),
    fanout_s: round(figures.fanoutS, 2),
    send_mps: round(figures.sent / figures.sendS),
    lifecycle_s: round(figures.lifecycleS, 2),
    p50_ms: round(figures.p50Ms),
    p99_ms: round(figures.p99Ms),
    webhook_rps: round(burst.rps),
    export_s: round(exported.seconds, 2),
    export_rss_mb: round(exported.peakRssMb),
    rss_mb: rss,
    ceiling_http_rps: round(ceilings.http),
    ceiling_jetstream_mps: round(ceilings.jetstream),
    duplicates: stats.messageKeys.duplicates,
    lost,
    preview_1m_s: preview.preview_s,
    preview_time_1m_s: preview.time_preview_s,
    callbacks_per_s: callbacks.callbacks_per_s,
    callbacks_slow_ratio: callbacks.callbacks_slow_ratio,
    cpu_ms_per_msg: lifecycleCpu.perMessage,
    send_only: sendOnly,
    multi_sender_mps: multiSender.mps,
    multi_sender_per_number: multiSender.per_number.map(({ phoneNumberId, accepted, maxPerSecond, limit }) => ({
      phoneNumberId,
      accepted,
      maxPerSecond,
      limit,
    })),
    multi_sender_cpu_ms_per_msg: multiSender.cpu_ms_per_msg,
  };
  const samples: Sample[] = polled
    .filter((sample) => sample.time >= runCreated.getTime())
    .map((sample) => ({
      at: sample.time - runCreated.getTime(),
      sent: sample.sent + sample.delivered + sample.read,
      delivered: sample.delivered + sample.read,
      read: sample.read,
      failed: sample.failed,
    }));
  const stamp = startedAt
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const directory = new URL('./results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  writeFileSync(new URL(`${stamp}.json`, directory), `${JSON.stringify(result)}\n`);
  writeFileSync(
    new URL(`${stamp}.svg`, directory),
    renderReport({
      title: `EkTola benchmark, N = ${messages.toLocaleString('en')}`,
      subtitle: `${startedAt.toISOString()} · ${settled ? 'every message READ or FAILED' : 'the run did not settle'} · duplicates ${result.duplicates}, lost ${result.lost}`,
      result,
      messages,
      samples,
    }),
  );
  for (const check of checks(result, messages))
    log(
      `${check.figure.padEnd(28)} ${check.value.padEnd(16)} ${check.target} ${check.met === undefined ? '' : check.met ? 'met' : 'NOT MET'}`,
    );
  log(`report: bench/results/${stamp}.svg`);
  const overLimit = result.multi_sender_per_number.some((number) => number.maxPerSecond > number.limit);
  if (!settled || result.duplicates > 0 || result.lost > 0 || multiSender.duplicates > 0 || overLimit) exitCode = 1;
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  if (!interrupted) log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = interrupted ? 130 : 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
