import { describe, expect, it } from 'vitest';
import {
  activeCampaign,
  contactsCsv,
  mobile,
  registerGoldLoanReminder,
  settledRun,
  type Contact,
  type Message,
  type RunDetail,
  useSystem,
} from './support.ts';

/*
 * A DAILY campaign over three simulated days: the scheduler's `--now` stands in for the calendar,
 * one pass per day plus a second pass on a day that already ran. Each pass is its own process, as
 * the CronJob runs it.
 */

const audienceSize = 20;
// 09:00 in Kolkata (03:30Z), across a month end.
const days = ['2030-01-30', '2030-01-31', '2030-02-01'];
const at = (day: string, utcTime: string) => `${day}T${utcTime}Z`;

// The simulated days pass in seconds of real time; Meta's pair limit (one message per user every
// 6 s) would only slow the later days' sends to the same users down, so it is off here. NATS runs with
// the per-service users and subject permissions production has, so anything outside them fails here.
const system = useSystem('e2edaily', { SIMULATOR_PAIR_INTERVAL_MS: '0', EKTOLA_NATS_ACCOUNTS: 'true' });

describe('a DAILY campaign, end to end', () => {
  it('when the scheduler passes on three days and twice on one of them, then exactly three runs exist, one per local day, each completed with one message per contact', async () => {
    const { admin, mintKey, simulator, schedulerPass } = system();
    const operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    const rows = Array.from({ length: audienceSize + 5 }, (_, index) => ({
      phone: mobile(index),
      name: `Customer ${index}`,
      tags: index < audienceSize ? ['daily'] : [],
      loanAmount: '₹5,000',
    }));
    expect(await operator.uploadCsv(contactsCsv(rows))).toMatchObject({ imported: rows.length, rejectedCount: 0 });
    const audience = await operator.all<Contact>('/v1/contacts?tag=daily');
    expect(audience).toHaveLength(audienceSize);

    const campaignId = await activeCampaign(operator, {
      name: 'Daily reminder',
      templateId: template.id,
      audience: { tags: ['daily'] },
      recurrence: 'DAILY',
      timezone: 'Asia/Kolkata',
      startAt: `${days[0]}T09:00:00+05:30`,
    });
    const runs = () => operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);

    const passes = [
      { now: at(days[0]!, '03:31:00'), runs: 1 },
      { now: at(days[1]!, '03:30:05'), runs: 2 },
      // Later the same local day, still inside the 6 h grace window in which the 09:00 occurrence
      // would be due if it had not run: that day's run exists, so the pass creates nothing.
      { now: at(days[1]!, '06:00:00'), runs: 2 },
      { now: at(days[2]!, '05:00:00'), runs: 3 },
    ];
    for (const pass of passes) {
      await schedulerPass(pass.now);
      expect(await runs(), `runs after the pass at ${pass.now}`).toHaveLength(pass.runs);
    }

    const created = await runs();
    expect(created.map((run) => run.periodKey)).toEqual([...days].reverse());
    const contactIds = audience.map((contact) => contact.id).sort();
    for (const { id } of created) {
      const run = await settledRun(operator, id, audienceSize);
      expect(run.messages).toMatchObject({ total: audienceSize, read: audienceSize, failed: 0 });
      const messages = await operator.all<Message>(`/v1/runs/${id}/messages`);
      expect(messages.map((message) => message.contactId).sort()).toEqual(contactIds);
    }

    const stats = await simulator.stats();
    expect(stats).toMatchObject({
      accepted: 3 * audienceSize,
      rejectedTotal: 0,
      messageKeys: { distinct: 3 * audienceSize, duplicates: 0 },
    });
  });
});
