import { describe, expect, it } from 'vitest';
import { chooseSender } from '@ektola/platform/senders';
import { campaignOf, contactOf, fakeTransactions, senderOf, templateOf } from './fake-transactions.ts';
import type { Template } from './model.ts';
import { requestTestSend } from './test-send.ts';

const clock = { now: () => new Date('2026-03-05T10:00:00Z') };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function world(template: Partial<Template> = {}) {
  const fake = fakeTransactions({
    campaigns: [campaignOf('camp', { status: 'DRAFT' })],
    contacts: [
      contactOf('asha', '+919876500001', { name: 'Asha' }),
      contactOf('ravi', '+919876500002', { name: 'Ravi', optedOut: true }),
      contactOf('nameless', '+919876500003', { name: null }),
    ],
  });
  const deps = {
    ...fake,
    clock,
    flaggedFactor: 0.5,
    templates: { get: async (id: string) => templateOf(id, template) },
  };
  return { fake, send: (phone: string) => requestTestSend(deps, { campaignId: 'camp', phone }) };
}

describe('requestTestSend', () => {
  it("when the number is a contact's, then the request carries that contact's values and is announced once through the outbox", async () => {
    const { fake, send } = world();
    const accepted = await send('+919876500001');
    expect(accepted).toEqual({
      messageId: expect.stringMatching(uuid),
      campaignId: 'camp',
      phone: '+919876500001',
      contactId: 'asha',
    });
    expect(fake.events).toEqual([
      {
        event: 'run.test_send_requested.v1',
        payload: {
          messageId: accepted.messageId,
          campaignId: 'camp',
          templateId: 'template-1',
          contactId: 'asha',
          phone: '+919876500001',
          variables: { 'body.1': 'Asha' },
          requestedAt: '2026-03-05T10:00:00.000Z',
        },
      },
    ]);
  });

  it("when the number is no contact, or the contact lacks the value, then the mapping's defaults fill the template", async () => {
    const { fake, send } = world();
    expect((await send('+919876500099')).contactId).toBeNull();
    await send('+919876500003');
    expect(fake.events.map(({ payload }) => payload)).toMatchObject([
      { contactId: 'phone:+919876500099', variables: { 'body.1': 'customer' } },
      { contactId: 'nameless', variables: { 'body.1': 'customer' } },
    ]);
  });

  it('when the contact opted out, the template is not APPROVED, or a placeholder has neither value nor default, then it is refused and nothing is announced', async () => {
    const { fake, send } = world();
    await expect(send('+919876500002')).rejects.toMatchObject({ kind: 'conflict', code: 'contact_opted_out' });
    await expect(world({ status: 'PAUSED' }).send('+919876500001')).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'template_not_approved',
    });
    const noDefault = world({ variables: { 'body.1': { field: 'attributes.loan_amount' } } });
    await expect(noDefault.send('+919876500099')).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'missing_value',
    });
    expect([...fake.events, ...noDefault.fake.events]).toEqual([]);
  });

  it('when the campaign does not exist, then not_found', async () => {
    await expect(
      requestTestSend(
        { ...fakeTransactions(), clock, flaggedFactor: 0.5, templates: { get: async (id) => templateOf(id) } },
        {
          campaignId: 'nope',
          phone: '+919876500001',
        },
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('when the campaign names senders, then the test goes out from the number the contact is chosen for, as the dispatcher chooses at fan-out', async () => {
    const senders = [senderOf('a', { phoneNumberId: '111', metaMps: 1_000 }), senderOf('b', { phoneNumberId: '222' })];
    const fake = fakeTransactions({
      senders,
      campaigns: [campaignOf('camp', { senders: ['a', 'b'] })],
      contacts: [contactOf('asha', '+919876500001', { name: 'Asha' })],
    });
    const deps = { ...fake, clock, flaggedFactor: 0.5, templates: { get: async (id: string) => templateOf(id) } };
    await requestTestSend(deps, { campaignId: 'camp', phone: '+919876500001' });
    await requestTestSend(deps, { campaignId: 'camp', phone: '+919876500077' });
    const runSenders = [
      { phoneNumberId: '111', weight: 1_000 },
      { phoneNumberId: '222', weight: 80 },
    ];
    expect(fake.events.map(({ payload }) => (payload as { phoneNumberId?: string }).phoneNumberId)).toEqual([
      chooseSender('asha', runSenders).phoneNumberId,
      chooseSender('phone:+919876500077', runSenders).phoneNumberId,
    ]);
  });
});
