import { describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { contactsCsv, mobile, registerGoldLoanReminder, type Contact, useSystem } from './support.ts';

/*
 * A test send, every service its own process: the campaign-service resolves the campaign's template for
 * one number and hands it to the dispatcher through its outbox; the dispatcher sends it on its normal
 * path to the simulated Cloud API, and the signed status webhooks move it on. It is no run.
 */

interface TestSendMessage {
  id: string;
  status: string;
  wamid: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
}

const system = useSystem('e2etestsend');

describe('POST /v1/campaigns/{id}/test-send', () => {
  it("when an operator test-sends a DRAFT campaign to a contact's number, then Meta gets the template with that contact's values, the message goes SENT then DELIVERED, and no run exists", async () => {
    const { admin, mintKey, simulator } = system();
    const operator = await mintKey('operator');
    const viewer = await mintKey('viewer');
    const template = await registerGoldLoanReminder(admin);
    await operator.uploadCsv(
      contactsCsv([
        { phone: mobile(1), name: 'Asha', tags: ['loan'], loanAmount: '₹12,500' },
        { phone: mobile(2), name: 'Ravi', tags: ['loan'], loanAmount: '₹7,000' },
      ]),
    );
    const contacts = await operator.all<Contact>('/v1/contacts');
    const asha = contacts.find((contact) => contact.phone === mobile(1))!;
    const ravi = contacts.find((contact) => contact.phone === mobile(2))!;
    await operator.call('POST', `/v1/contacts/${ravi.id}/opt-out`);
    const { id: campaignId } = await operator.call<{ id: string }>('POST', '/v1/campaigns', {
      name: 'Reminder',
      templateId: template.id,
      audience: { tags: ['loan'] },
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt: '2030-03-05T10:00:00+05:30',
    });

    const accepted = await operator.fetch('POST', `/v1/campaigns/${campaignId}/test-send`, { phone: mobile(1) });
    expect(accepted.status).toBe(202);
    const { messageId, contactId } = (await accepted.json()) as { messageId: string; contactId: string };
    expect(contactId).toBe(asha.id);

    // Polled as a client would: PENDING (or 404 before the dispatcher stored it), then SENT, then DELIVERED.
    const seen = new Set<string>();
    const delivered = await eventually(
      async () => {
        const answer = await operator.fetch('GET', `/v1/test-sends/${messageId}`);
        if (answer.status === 404) return undefined;
        expect(answer.status).toBe(200);
        const message = (await answer.json()) as TestSendMessage;
        seen.add(message.status);
        return ['DELIVERED', 'READ'].includes(message.status) ? message : undefined;
      },
      30_000,
      100,
    );
    expect(delivered).toMatchObject({ id: messageId, sentAt: expect.any(String), deliveredAt: expect.any(String) });
    expect(Date.parse(delivered.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(delivered.sentAt!));
    expect([...seen].every((status) => ['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ'].includes(status))).toBe(
      true,
    );

    const atMeta = await simulator.recipient(mobile(1));
    expect(atMeta.lastMessage).toEqual({
      id: delivered.wamid,
      template: {
        name: 'gold_loan_reminder',
        language: 'en',
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Asha' },
              { type: 'text', text: '₹12,500' },
            ],
          },
        ],
      },
    });

    // No run: the campaign has none and its report counts nothing.
    const report = await operator.call<{ runs: unknown[] }>('GET', `/v1/campaigns/${campaignId}/report`);
    expect(report.runs).toEqual([]);
    expect((await operator.call<{ status: string }>('GET', `/v1/campaigns/${campaignId}`)).status).toBe('DRAFT');

    // An opted-out contact is refused; a phone that is no E.164 is a 400 naming it; viewers may only look.
    const optedOut = await operator.fetch('POST', `/v1/campaigns/${campaignId}/test-send`, { phone: mobile(2) });
    expect(optedOut.status).toBe(409);
    expect(await optedOut.json()).toMatchObject({ error: { code: 'contact_opted_out' } });
    // A number that is no contact gets the mapping's defaults; this template has none for the amount.
    const noDefault = await operator.fetch('POST', `/v1/campaigns/${campaignId}/test-send`, { phone: mobile(3) });
    expect(noDefault.status).toBe(409);
    expect(await noDefault.json()).toMatchObject({ error: { code: 'missing_value' } });
    const badPhone = await operator.fetch('POST', `/v1/campaigns/${campaignId}/test-send`, { phone: '98765 43210' });
    expect(badPhone.status).toBe(400);
    expect(JSON.stringify(await badPhone.json())).toContain('body.phone');
    expect((await viewer.fetch('POST', `/v1/campaigns/${campaignId}/test-send`, { phone: mobile(1) })).status).toBe(
      403,
    );
    expect((await viewer.fetch('GET', `/v1/test-sends/${messageId}`)).status).toBe(200);
  });
});
