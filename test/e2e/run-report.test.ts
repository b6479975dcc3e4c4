import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import {
  activeCampaign,
  everyItem,
  mobile,
  registerGoldLoanReminder,
  type Api,
  type Contact,
  useSystem,
} from './support.ts';

/*
 * What a business reads after a run: rates of what reached Meta, Meta's errors, what Meta bills (from the
 * pricing of its status webhooks, priced by the rate card) and skips, for one 2,000-message run in which
 * the simulator fails five recipients with known codes and two contacts opt out while it is under way;
 * then the same run as a streamed CSV, parsed back and compared with the messages API row by row.
 * Sends are throttled to 80 a second so the opt-outs land while those contacts' messages still wait.
 */

const system = useSystem('e2ereport', { WHATSAPP_MPS: '80' });

interface RunReport {
  id: string;
  status: string;
  messages: { total: number; pending: number; sending: number; read: number; failed: number; skipped: number } | null;
  rates: { delivered: number | null; read: number | null; failed: number | null; replied: number | null } | null;
  errors: Array<{ code: number; title: string; count: number }> | null;
  pricing: { billable: number; byCategory: Record<string, number>; cost: { currency: string; amount: number } | null };
  skipped: Record<string, number> | null;
}

interface MessageView {
  id: string;
  contactId: string;
  phone: string;
  status: string;
  error: { code: number; message: string } | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  skipReason: string | null;
}

const contacts = 2_000;
const formulaNames = ['=HYPERLINK("http://evil.example","click")', '+1', '-2', '@x'];
const nameOf = (index: number) => formulaNames[index] ?? `Customer, ${index} "the" first`;
const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
const undeliverable = [10, 11, 12].map(mobile);
const reEngagement = [20, 21].map(mobile);
const undeliverableTitle = 'Message undeliverable';
const reEngagementTitle = 'Re-engagement message';

describe('the run report and its CSV export', () => {
  let runId: string;
  let campaignId: string;
  let optedOut: Contact[];
  let operator: Api;

  beforeAll(async () => {
    const { admin, mintKey, schedulerPass, simulator } = system();
    operator = await mintKey('operator');
    const template = await registerGoldLoanReminder(admin);
    const csv = [
      'phone,name,tags,loan_amount',
      ...Array.from({ length: contacts }, (_, index) => `${mobile(index)},${quoted(nameOf(index))},report,5000`),
    ].join('\n');
    expect(await operator.uploadCsv<{ imported: number }>(csv)).toMatchObject({ imported: contacts });
    for (const phone of undeliverable) await simulator.failRecipient(phone, 131026);
    for (const phone of reEngagement) await simulator.failRecipient(phone, 131047);
    const everyContact = await everyItem<Contact>(operator, '/v1/contacts?tag=report');
    optedOut = [...everyContact].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(-2);

    const startAt = '2030-05-01T10:00:00+05:30';
    campaignId = await activeCampaign(operator, {
      name: 'Report',
      templateId: template.id,
      audience: { tags: ['report'] },
      recurrence: 'ONCE',
      timezone: 'Asia/Kolkata',
      startAt,
    });
    await schedulerPass(new Date(new Date(startAt).getTime() + 60_000).toISOString());
    runId = (await operator.call<{ items: Array<{ id: string }> }>('GET', `/v1/campaigns/${campaignId}/runs`)).items[0]!
      .id;
    // The audience is sent in contact-id order, so the last two are still waiting once every message is stored.
    await eventually(
      async () => (await operator.call<RunReport>('GET', `/v1/runs/${runId}`)).messages?.total === contacts,
      30_000,
      200,
    );
    for (const contact of optedOut) await operator.call('POST', `/v1/contacts/${contact.id}/opt-out`);
    await eventually(
      async () => {
        const run = await operator.call<RunReport>('GET', `/v1/runs/${runId}`);
        const counts = run.messages;
        return (
          counts && counts.pending + counts.sending === 0 && counts.read + counts.failed + counts.skipped === contacts
        );
      },
      90_000,
      1_000,
    );
  }, 180_000);

  it("when the run has finished, then its rates, Meta's errors, pricing and skips match what the simulator did, and the cost is null without a rate card", async () => {
    const reached = contacts - 2;
    const read = reached - 5;
    const run = await operator.call<RunReport>('GET', `/v1/runs/${runId}`);
    expect(run.messages).toMatchObject({ total: contacts, read, failed: 5, skipped: 2 });
    expect(run.rates).toEqual({
      delivered: Math.round((read / reached) * 10_000) / 10_000,
      read: Math.round((read / reached) * 10_000) / 10_000,
      failed: Math.round((5 / reached) * 10_000) / 10_000,
      // Nobody answered: a share of the messages sent, so 0 rather than null.
      replied: 0,
    });
    expect(run.errors).toEqual([
      { code: 131026, title: undeliverableTitle, count: 3 },
      { code: 131047, title: reEngagementTitle, count: 2 },
    ]);
    expect(run.skipped).toEqual({ opted_out: 2 });
    expect(run.pricing).toEqual({ billable: read, byCategory: { UTILITY: read }, cost: null });
  });

  it('when an admin sets a rate card, then the run and the campaign report price the billable messages by calling code and category', async () => {
    const { admin } = system();
    expect((await admin.fetch('GET', '/v1/settings/rate-card')).status).toBe(404);
    const card = {
      currency: 'INR',
      default: { MARKETING: 1.2, UTILITY: 0.5, AUTHENTICATION: 0.3 },
      byCallingCode: { '91': { UTILITY: 0.115 } },
    };
    expect(await admin.call('PUT', '/v1/settings/rate-card', card)).toMatchObject(card);
    expect(await operator.call('GET', '/v1/settings/rate-card')).toMatchObject(card);
    expect((await operator.fetch('PUT', '/v1/settings/rate-card', card)).status).toBe(403);

    const read = contacts - 2 - 5;
    const run = await operator.call<RunReport>('GET', `/v1/runs/${runId}`);
    expect(run.pricing.cost).toEqual({ currency: 'INR', amount: (read * 115_000) / 1_000_000 });

    const report = await operator.call<
      RunReport & { campaignId: string; runs: Array<RunReport & { run: { id: string } }> }
    >('GET', `/v1/campaigns/${campaignId}/report`);
    expect(report.runs.map((entry) => entry.run.id)).toEqual([runId]);
    for (const entry of [report, report.runs[0]!]) {
      expect(entry).toMatchObject({ rates: run.rates, errors: run.errors, pricing: run.pricing, skipped: run.skipped });
      expect(entry.messages).toMatchObject({ total: contacts, read, failed: 5, skipped: 2 });
    }
  });

  it('when a rate card is invalid, then it is refused with a 400 naming the field', async () => {
    const { admin } = system();
    const valid = { currency: 'INR', default: { MARKETING: 1, UTILITY: 0.5, AUTHENTICATION: 0.3 } };
    const refusals: Array<[unknown, string]> = [
      [{ ...valid, currency: 'RUPEES' }, 'body.currency'],
      [{ ...valid, currency: 'ABC' }, 'body.currency'],
      [{ ...valid, default: { ...valid.default, UTILITY: -1 } }, 'body.default.UTILITY'],
      [{ ...valid, default: { MARKETING: 1, UTILITY: 0.5 } }, 'body.default.AUTHENTICATION'],
      [{ ...valid, byCallingCode: { '+91': { UTILITY: 0.1 } } }, 'body.byCallingCode'],
      [{ ...valid, byCallingCode: { '91': { SERVICE: 0.1 } } }, 'body.byCallingCode.91'],
    ];
    for (const [body, field] of refusals) {
      const response = await admin.fetch('PUT', '/v1/settings/rate-card', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = (await response.json()) as { error: { details: Array<{ path: string }> } };
      expect(error.details.map((detail) => detail.path).join(' '), JSON.stringify(body)).toContain(field);
    }
  });

  it('when the run is exported as CSV, then it parses back to the same rows as the messages API, with formula-like names made text', async () => {
    const response = await operator.fetch('GET', `/v1/runs/${runId}/messages.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    expect(text.split('\r\n', 1)[0]).toBe(
      'message_id,contact_id,phone,name,status,reason,error_code,error_title,category,billable,sent_at,delivered_at,read_at,failed_at',
    );
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const messages = await everyItem<MessageView>(operator, `/v1/runs/${runId}/messages`);
    expect(rows).toHaveLength(contacts);
    expect(rows.map((row) => row.message_id)).toEqual(messages.map((message) => message.id));

    const indexOfPhone = (phone: string) => Number(phone.slice(5));
    const titles: Record<number, string> = { 131026: undeliverableTitle, 131047: reEngagementTitle };
    messages.forEach((message, position) => {
      const row = rows[position]!;
      const name = nameOf(indexOfPhone(message.phone));
      expect(row).toEqual({
        message_id: message.id,
        contact_id: message.contactId,
        phone: message.phone,
        name: formulaNames.includes(name) ? `'${name}` : name,
        status: message.status,
        reason: message.skipReason ?? '',
        error_code: message.error ? String(message.error.code) : '',
        error_title: message.error ? titles[message.error.code] : '',
        category: message.status === 'READ' ? 'utility' : '',
        billable: String(message.status === 'READ'),
        sent_at: message.sentAt ?? '',
        delivered_at: message.deliveredAt ?? '',
        read_at: message.readAt ?? '',
        failed_at: message.failedAt ?? '',
      });
    });
    expect(
      rows
        .filter((row) => row.name!.startsWith("'"))
        .map((row) => row.name)
        .sort(),
    ).toEqual(formulaNames.map((name) => `'${name}`).sort());
  });

  it('when a run is unknown, then its export is a 404 before any row is written', async () => {
    const response = await operator.fetch('GET', '/v1/runs/00000000-0000-4000-8000-000000000000/messages.csv');
    expect(response.status).toBe(404);
  });
});
