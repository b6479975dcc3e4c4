import { describe, expect, it } from 'vitest';
import {
  activeCampaign,
  contactsCsv,
  mobile,
  registerGoldLoanReminder,
  settledRun,
  type Contact,
  type ContactRow,
  type Message,
  type RunDetail,
  useSystem,
} from './support.ts';

/*
 * The whole lifecycle of a one-time campaign, every service its own process: a CSV of 500 contacts,
 * 63 of them tagged `loan` (one with an invalid phone, one who opts out), a run created by one
 * scheduler pass, sent to the simulated Cloud API, and followed through its signed status webhooks
 * until every message is READ or FAILED. The simulator is set to misbehave the way Meta does:
 * statuses duplicated, out of order, and read without delivered.
 */

const rowCount = 500;
const invalidPhones = new Map([
  [16, '12345'], // tagged: must be rejected, not messaged
  [77, 'not-a-phone'],
  [250, ''],
  [413, '+91 98'],
]);
const isTagged = (index: number) => index % 8 === 0;
const failingCode = 131026;

const rows: ContactRow[] = Array.from({ length: rowCount }, (_, index) => ({
  // Half written as the business would type them locally (DEFAULT_COUNTRY IN), half in E.164.
  phone: invalidPhones.get(index) ?? (index % 2 ? mobile(index).slice(3) : mobile(index)),
  name: index % 10 === 3 ? '' : `Customer ${index}`,
  tags: isTagged(index) ? (index % 16 === 0 ? ['loan', 'gold'] : ['loan']) : index % 5 === 0 ? ['savings'] : [],
  loanAmount: `₹${(1000 + index * 25).toLocaleString('en-IN')}`,
}));

const system = useSystem('e2eonce', {
  SIMULATOR_WEBHOOK_DUPLICATE_SHARE: '0.2',
  SIMULATOR_WEBHOOK_OUT_OF_ORDER_SHARE: '0.2',
  SIMULATOR_WEBHOOK_READ_WITHOUT_DELIVERED_SHARE: '0.1',
});

describe('a ONCE campaign, end to end', () => {
  it('when an operator uploads 500 contacts and activates a campaign for a tag, then one scheduler pass gets exactly one message to every eligible contact, each READ or FAILED as Meta reported it', async () => {
    const { admin, mintKey, simulator, schedulerPass } = system();

    // An admin mints the operator key everything else is done with; templates stay admin-only.
    const operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    expect((await operator.fetch('POST', '/v1/templates', { name: 'not_allowed' })).status).toBe(403);

    const upload = await operator.uploadCsv<{
      imported: number;
      updated: number;
      rejectedCount: number;
      rejected: Array<{ line: number }>;
    }>(contactsCsv(rows));
    expect(upload).toMatchObject({
      imported: rowCount - invalidPhones.size,
      updated: 0,
      rejectedCount: invalidPhones.size,
    });
    // Line 1 is the header, so row i is on line i + 2.
    expect(upload.rejected.map((reject) => reject.line).sort((a, b) => a - b)).toEqual(
      [...invalidPhones.keys()].map((index) => index + 2),
    );

    const tagged = await operator.all<Contact>('/v1/contacts?tag=loan');
    const expectedTagged = rows.filter((_, index) => isTagged(index) && !invalidPhones.has(index));
    expect(tagged.map((contact) => contact.phone).sort()).toEqual(
      expectedTagged.map((row) => (row.phone.startsWith('+') ? row.phone : `+91${row.phone}`)).sort(),
    );

    const [optingOut, ...eligible] = tagged;
    expect((await operator.call<Contact>('POST', `/v1/contacts/${optingOut!.id}/opt-out`)).optedOut).toBe(true);
    // Meta accepts sends to these two and then reports them failed.
    const failing = eligible.slice(-2);
    for (const contact of failing) await simulator.failRecipient(contact.phone, failingCode);

    const startAt = '2030-03-05T10:00:00+05:30';
    const campaignId = await activeCampaign(operator, {
      name: 'Gold loan reminder, March',
      templateId: template.id,
      audience: { tags: ['loan'] },
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt,
    });

    await schedulerPass('2030-03-05T04:31:00Z');
    const runs = await operator.all<RunDetail>(`/v1/campaigns/${campaignId}/runs`);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ periodKey: 'once', scheduledFor: new Date(startAt).toISOString() });
    expect((await operator.call<{ status: string }>('GET', `/v1/campaigns/${campaignId}`)).status).toBe('COMPLETED');

    const run = await settledRun(operator, runs[0]!.id, eligible.length);
    expect(run.messages).toMatchObject({
      total: eligible.length,
      read: eligible.length - failing.length,
      failed: failing.length,
      pending: 0,
      sending: 0,
    });
    expect(run.completedAt).not.toBeNull();

    // Per contact: exactly one message to each eligible contact, at its phone, and none to anyone else.
    const messages = await operator.all<Message>(`/v1/runs/${run.id}/messages`);
    expect(messages).toHaveLength(eligible.length);
    const byContact = new Map(messages.map((message) => [message.contactId, message]));
    expect([...byContact.keys()].sort()).toEqual(eligible.map((contact) => contact.id).sort());
    expect(byContact.has(optingOut!.id)).toBe(false);
    for (const contact of eligible) {
      const message = byContact.get(contact.id)!;
      expect(message.phone).toBe(contact.phone);
      expect(message.wamid).toMatch(/^wamid\./);
      if (failing.includes(contact)) expect(message).toMatchObject({ status: 'FAILED', error: { code: failingCode } });
      else expect(message).toMatchObject({ status: 'READ', error: null });
    }
    const failedListed = await operator.all<Message>(`/v1/runs/${run.id}/messages?status=FAILED`);
    expect(failedListed.map((message) => message.contactId).sort()).toEqual(
      failing.map((contact) => contact.id).sort(),
    );

    // What Meta saw agrees: every message accepted once, none refused, none twice.
    const stats = await simulator.stats();
    expect(stats).toMatchObject({
      accepted: run.messages!.total,
      rejectedTotal: 0,
      messageKeys: { distinct: run.messages!.total, duplicates: 0, repeated: {} },
    });
    expect(stats.accepted).toBe(run.messages!.read + run.messages!.failed);
  });
});
