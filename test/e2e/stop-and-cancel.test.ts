import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  activeCampaign,
  contactsCsv,
  mobile,
  registerGoldLoanReminder,
  type Api,
  type Contact,
  type ContactRow,
  everyItem,
  useSystem,
} from './support.ts';

/*
 * A STOP must stop, and a cancel must cancel, even for messages already queued in the dispatcher.
 * Runs are throttled to Meta's default 80 messages a second, so a 2,000-contact run takes about 25 s
 * and the opt-outs and the cancel land while most of it still waits. The audience streams in
 * contact-id order and is sent in that order, so the contacts with the highest ids are sent last:
 * those are the ones that opt out, and they are certainly still PENDING when they do.
 */

const system = useSystem('e2estop', { WHATSAPP_MPS: '80' });

interface RunView {
  id: string;
  status: string;
  messages: {
    total: number;
    pending: number;
    sending: number;
    sent: number;
    delivered: number;
    read: number;
    failed: number;
    skipped: number;
  } | null;
}

interface MessageView {
  id: string;
  contactId: string;
  status: string;
  skipReason?: string | null;
}

const rowsTagged = (tag: string, count: number, offset: number): ContactRow[] =>
  Array.from({ length: count }, (_, index) => ({
    phone: mobile(offset + index),
    name: `Customer ${offset + index}`,
    tags: [tag],
    loanAmount: '₹5,000',
  }));

async function startRun(
  api: Api,
  schedulerPass: (now: string) => Promise<void>,
  tag: string,
  templateId: string,
  startAt: string,
): Promise<string> {
  const campaignId = await activeCampaign(api, {
    name: `Reminder ${tag}`,
    templateId,
    audience: { tags: [tag] },
    recurrence: 'ONCE',
    timezone: 'Asia/Kolkata',
    startAt,
  });
  await schedulerPass(new Date(new Date(startAt).getTime() + 60_000).toISOString());
  const runs = await api.call<{ items: RunView[] }>('GET', `/v1/campaigns/${campaignId}/runs`);
  expect(runs.items).toHaveLength(1);
  return runs.items[0]!.id;
}

/** The run once nothing is PENDING or SENDING and every sent message has reached READ. */
async function finished(api: Api, runId: string, total: number): Promise<RunView> {
  let last: RunView | undefined;
  try {
    return await eventually(
      async () => {
        const run = (last = await api.call<RunView>('GET', `/v1/runs/${runId}`));
        const counts = run.messages;
        return (
          counts?.total === total &&
          counts.pending === 0 &&
          counts.sending === 0 &&
          counts.read + counts.failed + counts.skipped === total &&
          run
        );
      },
      90_000,
      1_000,
    );
  } catch (error) {
    throw new Error(`the run did not finish; last seen ${JSON.stringify(last)}`, { cause: error });
  }
}

async function sendsOf(simulatorUrl: string, messageId: string): Promise<number> {
  const response = await fetch(`${simulatorUrl}/_sim/stats/messages/${messageId}`);
  return ((await response.json()) as { sends: number }).sends;
}

describe('opt-outs and cancellations reach messages already queued', () => {
  let template: { id: string };
  beforeAll(async () => {
    template = await registerGoldLoanReminder(system().admin);
  });

  it('when 10 contacts opt out right after a throttled 2,000-contact run starts (5 by REST, 5 by a STOP reply), then none of them is sent and each ends SKIPPED with opted_out', async () => {
    const { mintKey, schedulerPass, stack, simulator } = system();
    const operator = await mintKey('operator');
    await operator.uploadCsv(contactsCsv(rowsTagged('stop', 2_000, 0)));
    const contacts = await everyItem<Contact>(operator, '/v1/contacts?tag=stop');
    expect(contacts).toHaveLength(2_000);
    const lastSent = [...contacts].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(-10);
    const [byRest, byStop] = [lastSent.slice(0, 5), lastSent.slice(5)];

    const runId = await startRun(operator, schedulerPass, 'stop', template.id, '2030-04-01T10:00:00+05:30');
    // The opt-outs come once every message is stored: one committed before that leaves the contact out of
    // the run altogether (the campaign-service's component tests cover that).
    await eventually(
      async () => (await operator.call<RunView>('GET', `/v1/runs/${runId}`)).messages?.total === 2_000,
      30_000,
      200,
    );
    for (const contact of byRest)
      expect((await operator.call<Contact>('POST', `/v1/contacts/${contact.id}/opt-out`)).optedOut).toBe(true);
    for (const contact of byStop) {
      const answer = await fetch(`${stack.urls.simulator}/_sim/inbound/text`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: contact.phone, body: 'STOP' }),
      });
      // 202: the simulator has sent the signed notification on to the webhook-service.
      expect(answer.status).toBe(202);
    }

    const run = await finished(operator, runId, 2_000);
    expect(run.messages).toMatchObject({ total: 2_000, skipped: 10, read: 1_990, failed: 0 });
    const skipped = await everyItem<MessageView>(operator, `/v1/runs/${runId}/messages?status=SKIPPED`);
    expect(skipped.map((message) => message.contactId).sort()).toEqual(lastSent.map((contact) => contact.id).sort());
    for (const message of skipped) {
      expect(message.skipReason).toBe('opted_out');
      expect(await sendsOf(stack.urls.simulator, message.id)).toBe(0);
    }
    for (const contact of byStop)
      expect((await operator.call<Contact>('GET', `/v1/contacts/${contact.id}`)).optedOut).toBe(true);
    const stats = await simulator.stats();
    expect(stats).toMatchObject({ accepted: 1_990, messageKeys: { duplicates: 0 } });
  }, 180_000);

  it('when an operator cancels a throttled run halfway, then the messages not yet sent end SKIPPED with run_cancelled and Meta never sees them', async () => {
    const { mintKey, schedulerPass, stack, simulator } = system();
    const operator = await mintKey('operator');
    await operator.uploadCsv(contactsCsv(rowsTagged('cancel', 1_000, 10_000)));
    const acceptedBefore = (await simulator.stats()).accepted;

    const runId = await startRun(operator, schedulerPass, 'cancel', template.id, '2030-05-01T10:00:00+05:30');
    await eventually(
      async () => {
        const counts = (await operator.call<RunView>('GET', `/v1/runs/${runId}`)).messages;
        return counts && counts.total === 1_000 && counts.total - counts.pending >= 500;
      },
      30_000,
      250,
    );
    const cancelled = await operator.fetch('POST', `/v1/runs/${runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as RunView).status).toBe('CANCELLED');

    const run = await finished(operator, runId, 1_000);
    const counts = run.messages!;
    expect(counts.skipped).toBeGreaterThan(0);
    expect(counts.skipped).toBeLessThanOrEqual(500);
    const skipped = await everyItem<MessageView>(operator, `/v1/runs/${runId}/messages?status=SKIPPED`);
    expect(skipped).toHaveLength(counts.skipped);
    for (const message of skipped) {
      expect(message.skipReason).toBe('run_cancelled');
      expect(await sendsOf(stack.urls.simulator, message.id)).toBe(0);
    }
    const stats = await simulator.stats();
    expect(stats.accepted - acceptedBefore).toBe(1_000 - counts.skipped);
    expect(stats.messageKeys.duplicates).toBe(0);
    expect((await operator.call<RunView>('GET', `/v1/runs/${runId}`)).status).toBe('CANCELLED');
  }, 120_000);
});
