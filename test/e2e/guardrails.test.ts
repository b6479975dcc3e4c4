import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  activeCampaign,
  contactsCsv,
  mobile,
  registerGoldLoanReminder,
  type Api,
  type Message,
  type RunDetail,
  useSystem,
} from './support.ts';

/*
 * The marketing guardrails through the public API, every service its own process: two MARKETING
 * campaigns over the same contacts run at once under a cap of one MARKETING message per 24 hours, and a
 * UTILITY campaign beside them. The region rules keep their default (calling code 1 receives no MARKETING
 * template). Each contact must get exactly one of the two offers, whichever run claimed it first.
 */

// Each user gets two messages within seconds (the offer and the reminder); Meta's pair limit would
// only slow that down here.
const system = useSystem('e2eguard', { SIMULATOR_PAIR_INTERVAL_MS: '0' });

const offer = {
  name: 'festive_gold_offer',
  language: 'en',
  category: 'MARKETING',
  components: [
    { type: 'BODY', text: '{{1}}, gold loans at a festive rate this week.', example: { body_text: [['Asha']] } },
  ],
};

/** The file's one registration of gold_loan_reminder: the tests share a system. */
const goldLoanReminder = async (admin: Api) =>
  (await admin.all<{ id: string; name: string }>('/v1/templates')).find(
    (template) => template.name === 'gold_loan_reminder',
  ) ?? registerGoldLoanReminder(admin);

const indian = Array.from({ length: 6 }, (_, index) => mobile(index + 300));
const american = ['+12025550101', '+12025550102'];

describe('marketing guardrails, end to end', () => {
  it('when two MARKETING campaigns and a UTILITY one run at once under a cap of 1 per 24 h, then each contact gets one offer, +1 numbers get none, and the UTILITY run reaches everyone', async () => {
    const { admin, mintKey, simulator, schedulerPass, stack } = system();
    const operator = await mintKey('operator');

    // Meta knows the offer template; EkTola registers it as MARKETING.
    const registered = await fetch(`${stack.urls.simulator}/_sim/templates`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...offer, status: 'APPROVED', parameter_format: 'POSITIONAL' }),
    });
    expect(registered.status).toBe(200);
    const offerTemplate = await admin.call<{ id: string }>('POST', '/v1/templates', {
      ...offer,
      status: 'APPROVED',
      variables: { 'body.1': { field: 'name', default: 'customer' } },
    });
    const reminder = await goldLoanReminder(admin);

    const phones = [...indian, ...american];
    await operator.uploadCsv(
      contactsCsv(
        phones.map((phone, index) => ({ phone, name: `Customer ${index}`, tags: ['promo'], loanAmount: '₹5,000' })),
      ),
    );
    expect(
      await admin.call('PUT', '/v1/settings/frequency-cap', { enabled: true, maxMessages: 1, windowHours: 24 }),
    ).toMatchObject({ enabled: true });
    expect(await admin.call('GET', '/v1/settings/region-rules')).toMatchObject({ blockedCallingCodes: ['1'] });

    const preview = await operator.call<{ count: number; excluded: Record<string, number> }>(
      'POST',
      '/v1/audiences/preview',
      { audience: { tags: ['promo'] }, templateId: offerTemplate.id },
    );
    expect(preview).toMatchObject({ count: 6, excluded: { regionBlocked: 2, frequencyCapped: 0 } });

    const startAt = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000).toISOString();
    const campaign = (name: string, templateId: string) =>
      activeCampaign(operator, {
        name,
        templateId,
        recurrence: 'ONCE',
        timezone: 'UTC',
        startAt,
        audience: { tags: ['promo'] },
      });
    const offers = [await campaign('Offer A', offerTemplate.id), await campaign('Offer B', offerTemplate.id)];
    const utility = await campaign('Reminder', reminder.id);
    for (const id of offers)
      expect(await operator.call('GET', `/v1/campaigns/${id}`)).toMatchObject({ audienceCount: preview.count });

    await schedulerPass(new Date(Date.parse(startAt) + 5_000).toISOString());
    const runOf = async (campaignId: string) =>
      eventually(
        async () => {
          const [run] = await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
          const counts =
            run && (await operator.call<RunDetail & { messages: { skipped: number } }>('GET', `/v1/runs/${run.id}`));
          const done = counts?.messages;
          return (
            counts?.status === 'COMPLETED' &&
            done?.total === phones.length &&
            done.read + done.failed + done.skipped === phones.length &&
            counts
          );
        },
        60_000,
        500,
      );
    const offerRuns = await Promise.all(offers.map(runOf));
    const utilityRun = await runOf(utility);

    const offerMessages = (
      await Promise.all(
        offerRuns.map((run) => operator.all<Message & { skipReason: string | null }>(`/v1/runs/${run.id}/messages`)),
      )
    ).flat();
    const reached = offerMessages.filter((message) => message.wamid);
    // Every Indian contact got exactly one offer, from one run or the other.
    expect(reached.map((message) => message.phone).sort()).toEqual([...indian].sort());
    const skipped = offerMessages.filter((message) => message.status === 'SKIPPED');
    expect(
      skipped
        .filter((message) => message.skipReason === 'frequency_capped')
        .map((message) => message.phone)
        .sort(),
    ).toEqual([...indian].sort());
    expect(
      skipped
        .filter((message) => message.skipReason === 'region_blocked')
        .map((message) => message.phone)
        .sort(),
    ).toEqual([...american, ...american].sort());
    expect(skipped).toHaveLength(indian.length + 2 * american.length);

    // UTILITY is neither capped nor region-blocked.
    expect(utilityRun.messages).toMatchObject({ total: phones.length, read: phones.length, skipped: 0 });
    expect((await simulator.stats()).accepted).toBe(indian.length + phones.length);
  });

  it('when a campaign’s send window is closed, then its messages wait PENDING with outside_send_window, visible through the API, until the run is cancelled', async () => {
    const { admin, mintKey, schedulerPass, simulator } = system();
    const operator = await mintKey('operator');
    const reminder = await goldLoanReminder(admin);
    const phones = Array.from({ length: 3 }, (_, index) => mobile(index + 400));
    await operator.uploadCsv(
      contactsCsv(
        phones.map((phone, index) => ({ phone, name: `Later ${index}`, tags: ['later'], loanAmount: '₹1,000' })),
      ),
    );
    const acceptedBefore = (await simulator.stats()).accepted;

    // Open only on the day after the one ten minutes from now (UTC): closed for the whole test, even
    // one that starts just before midnight.
    const now = new Date(Date.now() + 10 * 60_000);
    const tomorrow = (now.getUTCDay() + 1) % 7 || 7;
    const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
    const startAt = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000).toISOString();
    const campaignId = await activeCampaign(operator, {
      name: 'Tomorrow only',
      templateId: reminder.id,
      recurrence: 'ONCE',
      timezone: 'UTC',
      startAt,
      audience: { tags: ['later'] },
      sendWindow: { start: '00:00', end: '23:59', days: [tomorrow] },
    });
    await schedulerPass(new Date(Date.parse(startAt) + 5_000).toISOString());

    const runId = await eventually(
      async () => (await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`))[0]?.id,
      30_000,
      500,
    );
    type Waiting = Message & { waitingReason: string | null; nextAttemptAt: string | null };
    const waiting = await eventually(
      async () => {
        const messages = await operator.all<Waiting>(`/v1/runs/${runId}/messages`);
        return messages.length === phones.length && messages;
      },
      30_000,
      500,
    );
    for (const message of waiting)
      expect(message).toMatchObject({
        status: 'PENDING',
        waitingReason: 'outside_send_window',
        nextAttemptAt: opening,
        wamid: null,
      });

    // Waiting messages are PENDING like any other: cancelling the run skips them and it completes.
    await operator.call('POST', `/v1/runs/${runId}/cancel`);
    const skipped = await eventually(
      async () => {
        const messages = await operator.all<Waiting & { skipReason: string | null }>(`/v1/runs/${runId}/messages`);
        return messages.every((message) => message.status === 'SKIPPED') && messages;
      },
      30_000,
      500,
    );
    expect(skipped.map((message) => [message.skipReason, message.waitingReason])).toEqual(
      phones.map(() => ['run_cancelled', null]),
    );
    expect((await simulator.stats()).accepted).toBe(acceptedBefore);
  });
});
