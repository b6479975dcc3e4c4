import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  acceptedFrom,
  activeCampaign,
  contactsCsv,
  mobile,
  numberSends,
  registerGoldLoanReminder,
  registerSender,
  settledRun,
  simulatorNumbers,
  type AcceptedSend,
  type Api,
  type Message,
  type RunDetail,
  type SenderDetail,
  type SimulatedNumber,
  type System,
  useSystem,
} from './support.ts';

/*
 * Meta's signals about a number or a template, arriving while a run sends, every service its own
 * process: the simulator posts them as signed webhooks, the webhook-service publishes them, the
 * campaign-service changes the sender or the campaign, and the dispatcher's sends change with it. What
 * the simulator accepted from each number, and when, is the evidence.
 */

/** A number of the default WABA at Meta's standard throughput: EkTola's own rate is what the tests change. */
const standardNumber = (phoneNumberId: string, displayPhoneNumber: string): SimulatedNumber => ({
  phoneNumberId,
  displayPhoneNumber,
  throughputMps: 80,
});
const flagged = standardNumber('106540352243011', '15550002011');
const restricted = standardNumber('106540352243021', '15550002021');
const spare = standardNumber('106540352243022', '15550002022');
const pausing = standardNumber('106540352243031', '15550002031');

// A flagged number keeps a tenth of its rate here, so the slowdown stands out from a loaded machine's noise.
const flaggedFactor = 0.1;
const system = useSystem('e2esignals', {
  ...simulatorNumbers([flagged, restricted, spare, pausing]),
  SENDER_FLAGGED_MPS_FACTOR: String(flaggedFactor),
});

let reminder: Promise<{ id: string }> | undefined;
/** The reminder template, registered once for the tests that share it. */
const reminderTemplate = (admin: Api) => (reminder ??= registerGoldLoanReminder(admin));

/** `size` contacts tagged `tag`, with phones no other test here uses. */
async function audience(operator: Api, tag: string, firstIndex: number, size: number): Promise<void> {
  const rows = Array.from({ length: size }, (_, index) => ({
    phone: mobile(firstIndex + index),
    name: `Customer ${firstIndex + index}`,
    tags: [tag],
    loanAmount: '₹9,000',
  }));
  expect(await operator.uploadCsv(contactsCsv(rows))).toMatchObject({ imported: size, rejectedCount: 0 });
}

/** Activates a DAILY campaign and runs its first day with one scheduler pass; hands back the campaign and run ids. */
async function startRun(
  current: System,
  operator: Api,
  campaign: { name: string; templateId: string; tag: string; senders: string[] },
): Promise<{ campaignId: string; runId: string }> {
  const startAt = '2030-05-01T05:00:00Z';
  const campaignId = await activeCampaign(operator, {
    name: campaign.name,
    templateId: campaign.templateId,
    audience: { tags: [campaign.tag] },
    // DAILY keeps the campaign ACTIVE after its run is created, so Meta pausing its template can pause it.
    recurrence: 'DAILY',
    timezone: 'UTC',
    startAt,
    senders: campaign.senders,
  });
  await current.schedulerPass('2030-05-01T05:00:30Z');
  const [run] = await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
  return { campaignId, runId: run!.id };
}

/** Waits until Meta has accepted at least `count` sends from the number: the run is under way. */
const acceptedAtLeast = (current: System, phoneNumberId: string, count: number) =>
  eventually(async () => (await numberSends(current, phoneNumberId)).accepted >= count, 30_000, 100);

/** The most sends Meta accepted in any one second among `sends`. */
function busiestSecond(sends: AcceptedSend[]): number {
  const times = sends.map((send) => Date.parse(send.acceptedAt)).sort((a, b) => a - b);
  let busiest = 0;
  for (let last = 0, first = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 1_000) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

/** Sends a second from the first of `sends` to the last. */
function meanRate(sends: AcceptedSend[]): number {
  const times = sends.map((send) => Date.parse(send.acceptedAt));
  return ((sends.length - 1) * 1_000) / (Math.max(...times) - Math.min(...times));
}

/** The sender as an operator sees it once `shows` holds, with the dispatcher's view of it. */
const senderOnceItShows = (operator: Api, senderId: string, shows: (sender: SenderDetail) => boolean) =>
  eventually(
    async () => {
      const sender = await operator.call<SenderDetail>('GET', `/v1/senders/${senderId}`);
      return shows(sender) && sender;
    },
    30_000,
    200,
  );

describe("Meta's signals about a number or a template, mid-run, end to end", () => {
  it('when Meta flags a number while it sends, then the sender shows FLAGGED at the lower rate and the number sends slower from then on', async () => {
    const current = system();
    const operator = await current.mintKey('operator');
    const template = await reminderTemplate(current.admin);
    const cap = 10;
    const sender = await registerSender(current.admin, flagged, cap);
    const size = 30;
    await audience(operator, 'flagged', 30_000, size);
    const { runId } = await startRun(current, operator, {
      name: 'Flagged mid-run',
      templateId: template.id,
      tag: 'flagged',
      senders: [sender.id],
    });

    await acceptedAtLeast(current, flagged.phoneNumberId, 10);
    await current.simulator.call('POST', `/_sim/numbers/${flagged.phoneNumberId}/flag`);
    const slowed = Math.floor(cap * flaggedFactor);
    // The dispatcher's own rate for the number is part of the answer: once it shows the lower rate,
    // the signal has reached the sends.
    const shown = await senderOnceItShows(
      operator,
      sender.id,
      (candidate) => candidate.state === 'FLAGGED' && candidate.activity?.mps === slowed,
    );
    const reachedDispatcher = Date.now();
    expect(shown).toMatchObject({ state: 'FLAGGED', mps: slowed, stateReason: expect.stringMatching(/\S/) });

    const settled = await settledRun(operator, runId, size, 90_000);
    expect(settled.messages).toMatchObject({ total: size, read: size, failed: 0 });

    // Sends granted just before the rate changed may still be on their way; half a second covers them.
    const sends = await acceptedFrom(current, flagged.phoneNumberId);
    const before = sends.filter((send) => Date.parse(send.acceptedAt) < reachedDispatcher);
    const after = sends.filter((send) => Date.parse(send.acceptedAt) >= reachedDispatcher + 500);
    expect(before.length + after.length).toBeLessThanOrEqual(size);
    expect(after.length, 'sends left for the flagged number').toBeGreaterThanOrEqual(5);
    const [rateBefore, rateAfter] = [meanRate(before), meanRate(after)];
    expect(busiestSecond(after), 'busiest second once flagged').toBeLessThanOrEqual(slowed + 1);
    expect(rateAfter / rateBefore, `sends a second flagged ${rateAfter}, before ${rateBefore}`).toBeLessThanOrEqual(
      0.6,
    );
  }, 180_000);

  it('when Meta restricts one of two numbers while they send, then the rest of the run goes out from the other one, every message once', async () => {
    const current = system();
    const operator = await current.mintKey('operator');
    const template = await reminderTemplate(current.admin);
    const restrictedSender = await registerSender(current.admin, restricted, 5);
    const spareSender = await registerSender(current.admin, spare, 5);
    const size = 60;
    await audience(operator, 'restricted', 40_000, size);
    const { runId } = await startRun(current, operator, {
      name: 'Restricted mid-run',
      templateId: template.id,
      tag: 'restricted',
      senders: [restrictedSender.id, spareSender.id],
    });

    await acceptedAtLeast(current, restricted.phoneNumberId, 8);
    await current.simulator.call('POST', `/_sim/numbers/${restricted.phoneNumberId}/restrict`, {
      restrictionType: 'RESTRICTED_BIZ_INITIATED_MESSAGING',
      durationMs: 86_400_000,
    });
    // The dispatcher says why it holds the number once the restriction has reached it.
    const shown = await senderOnceItShows(
      operator,
      restrictedSender.id,
      (candidate) =>
        candidate.state === 'RESTRICTED' && candidate.activity?.heldReason?.startsWith('RESTRICTED') === true,
    );
    const attemptsWhenHeld = (await numberSends(current, restricted.phoneNumberId)).attempts;
    expect(shown).toMatchObject({ state: 'RESTRICTED', stateReason: expect.stringMatching(/\S/) });
    expect(shown.activity!.heldReason).toMatch(/^RESTRICTED/);

    const settled = await settledRun(operator, runId, size, 90_000);
    expect(settled.messages).toMatchObject({ total: size, read: size, failed: 0 });
    // Sends already on their way when the news came are allowed; nothing is tried after them.
    const attemptsAtEnd = (await numberSends(current, restricted.phoneNumberId)).attempts;
    expect(attemptsAtEnd - attemptsWhenHeld, 'attempts from the restricted number once held').toBeLessThanOrEqual(3);

    // Every message of the run accepted exactly once, from one number or the other.
    const messages = await operator.all<Message>(`/v1/runs/${runId}/messages`);
    expect(messages).toHaveLength(size);
    const accepted = [
      ...(await acceptedFrom(current, restricted.phoneNumberId)),
      ...(await acceptedFrom(current, spare.phoneNumberId)),
    ].map((send) => send.bizOpaqueCallbackData);
    expect(accepted.sort()).toEqual(messages.map((message) => message.id).sort());
    const fromSpare = (await acceptedFrom(current, spare.phoneNumberId)).length;
    expect(fromSpare).toBeGreaterThan(size / 2);
    expect((await current.simulator.stats()).messageKeys.duplicates).toBe(0);
  }, 180_000);

  it('when Meta pauses the template a run sends, then the campaign is PAUSED by Meta and its unsent messages wait for the template', async () => {
    const current = system();
    const operator = await current.mintKey('operator');
    const templateName = 'e2e_pausing_reminder';
    const components = [
      { type: 'BODY', text: 'Dear {{1}}, your gold loan review is due.', example: { body_text: [['Asha']] } },
    ];
    await current.simulator.call('PUT', '/_sim/templates', {
      name: templateName,
      language: 'en',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      status: 'APPROVED',
      components,
    });
    const template = await current.admin.call<{ id: string }>('POST', '/v1/templates', {
      name: templateName,
      language: 'en',
      category: 'UTILITY',
      parameterFormat: 'POSITIONAL',
      status: 'APPROVED',
      components,
      variables: { 'body.1': { field: 'name', default: 'customer' } },
    });
    const sender = await registerSender(current.admin, pausing, 4);
    const size = 40;
    await audience(operator, 'pausing', 50_000, size);
    const { campaignId, runId } = await startRun(current, operator, {
      name: 'Template paused mid-run',
      templateId: template.id,
      tag: 'pausing',
      senders: [sender.id],
    });

    await acceptedAtLeast(current, pausing.phoneNumberId, 8);
    await current.simulator.call('POST', '/_sim/template-status', {
      name: templateName,
      language: 'en',
      event: 'PAUSED',
      reason: 'LOW_QUALITY',
    });
    const campaign = await eventually(async () => {
      const found = await operator.call<{ status: string; pausedBy: string | null; pausedReason: string | null }>(
        'GET',
        `/v1/campaigns/${campaignId}`,
      );
      return found.status === 'PAUSED' && found;
    }, 30_000);
    expect(campaign).toMatchObject({
      pausedBy: 'meta',
      pausedReason: expect.stringContaining(`template ${templateName} (en) paused by Meta`),
    });

    // Once the dispatcher holds the template, its unsent messages say why they wait.
    const waiting = await eventually(
      async () => {
        const pending = await operator.all<Message & { waitingReason: string | null }>(
          `/v1/runs/${runId}/messages?status=PENDING`,
        );
        return pending.some((message) => message.waitingReason === 'template_paused') && pending;
      },
      30_000,
      300,
    );
    const attemptsWhenHeld = (await numberSends(current, pausing.phoneNumberId)).attempts;
    const acceptedWhenHeld = (await acceptedFrom(current, pausing.phoneNumberId)).length;
    expect(acceptedWhenHeld + waiting.length).toBeLessThanOrEqual(size);

    // A while later nothing more has been tried with the paused template (bar sends on their way
    // when the pause came), and the messages still wait.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const attemptsLater = (await numberSends(current, pausing.phoneNumberId)).attempts;
    expect(attemptsLater - attemptsWhenHeld, 'attempts with the paused template once held').toBeLessThanOrEqual(2);
    expect((await acceptedFrom(current, pausing.phoneNumberId)).length).toBe(acceptedWhenHeld);
    const run = await operator.call<RunDetail>('GET', `/v1/runs/${runId}`);
    const stillWaiting = await operator.all<Message & { waitingReason: string | null; error: unknown }>(
      `/v1/runs/${runId}/messages?status=PENDING`,
    );
    expect(
      stillWaiting.filter((message) => message.waitingReason !== 'template_paused'),
      'messages waiting for something else',
    ).toEqual([]);
    expect(run.messages!.pending).toBe(stillWaiting.length);
    const counts = run.messages!;
    expect(counts.total).toBe(size);
    // A send already on its way when the pause came is refused by Meta (132015) and may end FAILED.
    expect(counts.failed + counts.sending, 'messages in flight at the pause').toBeLessThanOrEqual(2);
  }, 180_000);
});
