import { describe, expect, it } from 'vitest';
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
  type Message,
  type RunDetail,
  type SenderDetail,
  type SimulatedNumber,
  useSystem,
} from './support.ts';

/*
 * One campaign sending from two business numbers, every service its own process: the dispatcher
 * gives each contact a number in proportion to the numbers' rates, keeps giving it the same number
 * run after run (a customer keeps hearing from one business number), and holds each number to its
 * own rate, which the simulator checks the way Meta does, per number over a sliding second.
 */

const slow: SimulatedNumber = { phoneNumberId: '106540352243001', displayPhoneNumber: '15550002001', throughputMps: 2 };
const fast: SimulatedNumber = { phoneNumberId: '106540352243002', displayPhoneNumber: '15550002002', throughputMps: 6 };
const audienceSize = 60;

// Two runs to the same contacts seconds apart: Meta's pair limit (one message per user every 6 s)
// would only slow the second run down, so it is off here.
const system = useSystem('e2esplit', { ...simulatorNumbers([slow, fast]), SIMULATOR_PAIR_INTERVAL_MS: '0' });

/** Which number each of the run's messages went out from, by the message id Meta echoes back. */
function numberOfEachContact(messages: Message[], sent: Map<string, string>): Map<string, string> {
  return new Map(messages.map((message) => [message.contactId, sent.get(message.id) ?? 'none']));
}

describe('a campaign sending from two numbers, end to end', () => {
  it('when a campaign names two senders, then each contact gets one message, the split follows their rates, each contact keeps its number on the next run, and no number goes over its rate', async () => {
    const current = system();
    const { admin, mintKey, schedulerPass, simulator } = current;
    const operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    // Each number is capped at what Meta allows it here, so the dispatcher's rate is the number's limit.
    const slowSender = await registerSender(admin, slow, slow.throughputMps);
    const fastSender = await registerSender(admin, fast, fast.throughputMps);
    expect(slowSender).toMatchObject({ state: 'ACTIVE', mps: slow.throughputMps });
    expect(fastSender).toMatchObject({ state: 'ACTIVE', mps: fast.throughputMps });

    const rows = Array.from({ length: audienceSize }, (_, index) => ({
      phone: mobile(10_000 + index),
      name: `Customer ${index}`,
      tags: ['split'],
      loanAmount: '₹7,500',
    }));
    expect(await operator.uploadCsv(contactsCsv(rows))).toMatchObject({ imported: audienceSize, rejectedCount: 0 });

    const campaignId = await activeCampaign(operator, {
      name: 'Reminder from two numbers',
      templateId: template.id,
      audience: { tags: ['split'] },
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: '2030-04-01T05:00:00Z',
      senders: [slowSender.id, fastSender.id],
    });

    const numberPerRun: Array<Map<string, string>> = [];
    for (const day of ['2030-04-01', '2030-04-02']) {
      await schedulerPass(`${day}T05:00:30Z`);
      const [run] = await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
      expect(run!.periodKey).toBe(day);
      const settled = await settledRun(operator, run!.id, audienceSize, 60_000);
      expect(settled.messages).toMatchObject({ total: audienceSize, read: audienceSize, failed: 0 });
      const messages = await operator.all<Message>(`/v1/runs/${run!.id}/messages`);
      expect(new Set(messages.map((message) => message.contactId)).size).toBe(audienceSize);
      const sent = new Map<string, string>();
      for (const number of [slow, fast])
        for (const send of await acceptedFrom(current, number.phoneNumberId))
          sent.set(send.bizOpaqueCallbackData!, number.phoneNumberId);
      numberPerRun.push(numberOfEachContact(messages, sent));
    }

    // The split follows the rates, 2 : 6, so a quarter of the contacts hear from the slow number;
    // the margin is four standard deviations of a fair draw of 60.
    const [first, second] = numberPerRun as [Map<string, string>, Map<string, string>];
    const fromSlow = [...first.values()].filter((number) => number === slow.phoneNumberId).length;
    const fromFast = [...first.values()].filter((number) => number === fast.phoneNumberId).length;
    expect(fromSlow + fromFast).toBe(audienceSize);
    expect(Math.abs(fromSlow - audienceSize / 4)).toBeLessThanOrEqual(14);
    // Sticky: every contact heard from the same number on the second day.
    const moved = [...first].filter(([contactId, number]) => second.get(contactId) !== number);
    expect(moved).toEqual([]);

    // What Meta saw: every message accepted once, and each number within its own rate, with hardly
    // a send that Meta had to refuse for going over it.
    const stats = await simulator.stats();
    expect(stats).toMatchObject({
      accepted: 2 * audienceSize,
      messageKeys: { distinct: 2 * audienceSize, duplicates: 0 },
    });
    for (const [number, share] of [
      [slow, fromSlow],
      [fast, fromFast],
    ] as const) {
      const sends = await numberSends(current, number.phoneNumberId);
      expect(sends.accepted).toBe(2 * share);
      expect(sends.maxPerSecond).toBeLessThanOrEqual(number.throughputMps);
      expect(sends.rejected, `sends Meta refused from ${number.phoneNumberId}`).toBeLessThanOrEqual(
        Math.ceil(sends.accepted / 20),
      );
    }

    // The senders show what the dispatcher did with them in the last minute.
    for (const [sender, number, share] of [
      [slowSender, slow, fromSlow],
      [fastSender, fast, fromFast],
    ] as const) {
      const detail = await operator.call<SenderDetail>('GET', `/v1/senders/${sender.id}`);
      expect(detail.activity).toMatchObject({ mps: number.throughputMps, pending: 0, sending: 0, heldReason: null });
      expect(detail.activity!.sentLastMinute).toBeGreaterThan(0);
      expect(detail.activity!.sentLastMinute).toBeLessThanOrEqual(2 * share);
      expect(detail.activity!.peakPerSecond).toBeGreaterThan(0);
      expect(detail.activity!.peakPerSecond).toBeLessThanOrEqual(number.throughputMps);
    }
  }, 150_000);
});
