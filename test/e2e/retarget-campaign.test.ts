import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  activeCampaign,
  mobile,
  registerGoldLoanReminder,
  type Api,
  type Message,
  type RunDetail,
  useSystem,
} from './support.ts';

/*
 * Targeting end to end, every service its own process: a campaign for an attribute condition sends to
 * exactly the contacts its preview counted, Meta (the simulator) reads about half of them and fails
 * two, and a second campaign re-targeting "not read" from that run sends to exactly the contacts whose
 * message stayed SENT or DELIVERED.
 */

const rowCount = 40;
const csv = [
  'phone,name,tags,loan_amount',
  ...Array.from({ length: rowCount }, (_, index) => `${mobile(index)},Customer ${index},loan,${index * 1000}`),
].join('\n');
const largeLoans = { tags: ['loan'], where: [{ field: 'attributes.loan_amount', op: 'gte', value: 10_000 }] };

// A real re-target goes out hours after the first run; here it follows at once, so Meta's limit of one
// message per recipient every 6 s (which the dispatcher honours) is lifted rather than waited out.
const system = useSystem('e2eretarget', {
  SIMULATOR_PAIR_INTERVAL_MS: '0',
  SIMULATOR_WEBHOOK_READ_SHARE: '0.5',
  SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '50',
  SIMULATOR_WEBHOOK_READ_DELAY_MS: '100',
});

interface Preview {
  count: number;
  excluded: { optedOut: number; missingValue: number };
}

const runOf = async (api: Api, campaignId: string) => {
  const [run] = await api.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
  return run!;
};

/** The run's messages once no status changes between two reads a second apart. */
function settledMessages(api: Api, runId: string, expected: number) {
  return eventually(
    async () => {
      const before = await api.all<Message>(`/v1/runs/${runId}/messages`);
      if (before.length !== expected || before.some((message) => ['PENDING', 'SENDING'].includes(message.status)))
        return undefined;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const after = await api.all<Message>(`/v1/runs/${runId}/messages`);
      const statuses = (messages: Message[]) => messages.map((message) => `${message.id}:${message.status}`).sort();
      return JSON.stringify(statuses(before)) === JSON.stringify(statuses(after)) && after;
    },
    45_000,
    500,
  );
}

describe('targeting by attribute and re-targeting by outcome, end to end', () => {
  it('when a campaign re-targets the contacts who did not read the first run, then exactly those whose message was SENT or DELIVERED get one', async () => {
    const { admin, mintKey, simulator, schedulerPass } = system();
    const operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    expect(await operator.uploadCsv<{ imported: number }>(csv)).toMatchObject({ imported: rowCount });
    for (const index of [12, 31]) await simulator.failRecipient(mobile(index), 131026);

    const preview = await operator.call<Preview>('POST', '/v1/audiences/preview', {
      audience: largeLoans,
      templateId: template.id,
    });
    expect(preview).toMatchObject({ count: 30, excluded: { optedOut: 0, missingValue: 0 } });
    const firstId = await activeCampaign(operator, {
      name: 'Large loans',
      templateId: template.id,
      audience: largeLoans,
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt: '2030-03-05T10:00:00+05:30',
    });
    await schedulerPass('2030-03-05T04:31:00Z');
    const first = await runOf(operator, firstId);
    const sent = await settledMessages(operator, first.id, preview.count);
    expect(sent.map((message) => message.phone).sort()).toEqual(
      Array.from({ length: 30 }, (_, offset) => mobile(offset + 10)).sort(),
    );

    const notRead = sent.filter((message) => ['SENT', 'DELIVERED'].includes(message.status));
    expect(notRead.length).toBeGreaterThan(0);
    expect(notRead.length).toBeLessThan(sent.length - 2);
    const again = { fromRun: { runId: first.id, statuses: ['SENT', 'DELIVERED'] } };
    const retarget = await operator.call<Preview>('POST', '/v1/audiences/preview', {
      audience: again,
      templateId: template.id,
    });
    expect(retarget.count).toBe(notRead.length);

    const secondId = await activeCampaign(operator, {
      name: 'Large loans, not read',
      templateId: template.id,
      audience: again,
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt: '2030-03-06T10:00:00+05:30',
    });
    expect(await operator.call<{ audienceCount: number }>('GET', `/v1/campaigns/${secondId}`)).toMatchObject({
      audienceCount: notRead.length,
    });
    await schedulerPass('2030-03-06T04:31:00Z');
    const second = await runOf(operator, secondId);
    const resent = await settledMessages(operator, second.id, notRead.length);
    expect(resent.map((message) => message.contactId).sort()).toEqual(
      notRead.map((message) => message.contactId).sort(),
    );
  });
});
