import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  activeCampaign,
  contactsCsv,
  mobile,
  registerGoldLoanReminder,
  settledRun,
  type Api,
  type Contact,
  type Message,
  useSystem,
} from './support.ts';

/*
 * Replies end to end, every service its own process: customers answer a campaign message from the
 * simulator in Meta's inbound webhook format (a quick-reply tap, delivered twice as Meta re-delivers,
 * an interactive reply and a text that swipes to reply), and the webhook-service, the dispatcher and
 * the campaign-service show each reply once in the contact's conversation, flag the message replied
 * (READ stays READ) and count it in the run report. A STOP still opts the contact out.
 */

const system = useSystem('e2ereplies', { SIMULATOR_WEBHOOK_READ_SHARE: '1' });

interface Results {
  messages: { total: number; read: number } | null;
  rates: { replied: number | null } | null;
  replies: { replied: number; byButton: Array<{ payload: string; text: string; count: number }> } | null;
}

interface ConversationEntry {
  direction: 'outbound' | 'inbound';
  id: string;
  status: string | null;
  templateName: string | null;
  replied: boolean | null;
  type: string | null;
  text: string | null;
  payload: string | null;
  inReplyTo: string | null;
}

interface Reply {
  id: string;
  type: string;
  payload: string | null;
  messageId: string | null;
}

const inbound = async (simulatorUrl: string, kind: string, body: Record<string, unknown>) => {
  const answer = await fetch(`${simulatorUrl}/_sim/inbound/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // 202: the signed notification has gone on to the webhook-service.
  expect(answer.status).toBe(202);
  return ((await answer.json()) as { payload: { entry: [{ changes: [{ value: { messages: [{ id: string }] } }] }] } })
    .payload.entry[0].changes[0].value.messages[0].id;
};

const runReport = (api: Api, runId: string) => api.call<Results>('GET', `/v1/runs/${runId}`);

describe('replies customers send, end to end', () => {
  it('when customers answer a campaign message, then each reply shows once in the conversation, flags the message replied and is counted in the run and campaign reports, and a STOP still opts out', async () => {
    const { admin, mintKey, schedulerPass, stack } = system();
    const operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    const rows = Array.from({ length: 6 }, (_, index) => ({
      phone: mobile(70_000 + index),
      name: `Customer ${index}`,
      tags: ['replies'],
      loanAmount: '₹5,000',
    }));
    await operator.uploadCsv(contactsCsv(rows));
    const campaignId = await activeCampaign(operator, {
      name: 'Gold loan, replies',
      templateId: template.id,
      audience: { tags: ['replies'] },
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt: '2030-06-01T10:00:00+05:30',
    });
    await schedulerPass('2030-06-01T04:31:00Z');
    const [run] = await operator.all<{ id: string }>(`/v1/campaigns/${campaignId}/runs`);
    await settledRun(operator, run!.id, 6);
    const messages = await operator.all<Message>(`/v1/runs/${run!.id}/messages`);
    const byPhone = new Map(messages.map((message) => [message.phone, message]));
    const messageTo = (index: number) => byPhone.get(rows[index]!.phone)!;
    const contacts = await operator.all<Contact>('/v1/contacts?tag=replies');
    const contactOf = (index: number) => contacts.find((contact) => contact.phone === rows[index]!.phone)!;

    const simulator = stack.urls.simulator;
    const tap = await inbound(simulator, 'button', {
      from: rows[0]!.phone,
      payload: 'PAID',
      text: 'Paid',
      contextMessageId: messageTo(0).wamid,
      deliveries: 2,
    });
    await inbound(simulator, 'button', {
      from: rows[1]!.phone,
      payload: 'PAID',
      text: 'Paid',
      contextMessageId: messageTo(1).wamid,
    });
    await inbound(simulator, 'button-reply', {
      from: rows[2]!.phone,
      id: 'CALL_ME',
      title: 'Call me',
      contextMessageId: messageTo(2).wamid,
    });
    await inbound(simulator, 'text', {
      from: rows[3]!.phone,
      body: 'When is it due?',
      contextMessageId: messageTo(3).wamid,
    });
    await inbound(simulator, 'text', { from: rows[4]!.phone, body: 'STOP' });

    const report = await eventually(
      async () => {
        const current = await runReport(operator, run!.id);
        return current.replies?.replied === 4 && current;
      },
      30_000,
      400,
    );
    expect(report.messages).toMatchObject({ total: 6, read: 6 });
    expect(report.rates?.replied).toBeCloseTo(4 / 6, 4);
    expect(report.replies?.byButton).toEqual([
      { payload: 'PAID', text: 'Paid', count: 2 },
      { payload: 'CALL_ME', text: 'Call me', count: 1 },
    ]);
    const campaign = await operator.call<Results>('GET', `/v1/campaigns/${campaignId}/report`);
    expect([campaign.replies, campaign.rates?.replied]).toEqual([report.replies, report.rates?.replied]);

    // The tap Meta delivered twice is one reply, answering the message, which stays READ.
    const conversation = await operator.all<ConversationEntry>(`/v1/contacts/${contactOf(0).id}/conversation`);
    expect(conversation).toMatchObject([
      {
        direction: 'outbound',
        id: messageTo(0).id,
        templateName: 'gold_loan_reminder',
        status: 'READ',
        replied: true,
      },
      { direction: 'inbound', id: tap, type: 'button', text: 'Paid', payload: 'PAID', inReplyTo: messageTo(0).id },
    ]);
    expect(conversation).toHaveLength(2);
    const silent = await operator.all<ConversationEntry>(`/v1/contacts/${contactOf(5).id}/conversation`);
    expect(silent).toMatchObject([{ direction: 'outbound', status: 'READ', replied: false }]);

    const replies = await operator.all<Reply>(`/v1/replies?campaignId=${campaignId}`);
    expect(replies.map((reply) => reply.type).sort()).toEqual(['button', 'button', 'interactive.button_reply', 'text']);
    expect(replies.find((reply) => reply.id === tap)).toMatchObject({ payload: 'PAID', messageId: messageTo(0).id });

    // STOP answers nothing of ours: it opts the contact out and stays in the conversation only.
    await eventually(
      async () => (await operator.call<Contact>('GET', `/v1/contacts/${contactOf(4).id}`)).optedOut,
      30_000,
      400,
    );
    const stop = await operator.all<ConversationEntry>(`/v1/contacts/${contactOf(4).id}/conversation`);
    expect(stop).toMatchObject([
      { direction: 'outbound', replied: false },
      { direction: 'inbound', type: 'text', text: 'STOP', inReplyTo: null },
    ]);

    const retarget = await operator.call<{ count: number }>('POST', '/v1/audiences/preview', {
      audience: { fromRun: { runId: run!.id, statuses: ['READ'], replied: true } },
    });
    expect(retarget.count).toBe(4);
  }, 120_000);
});
