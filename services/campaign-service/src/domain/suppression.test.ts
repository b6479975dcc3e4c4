import { describe, expect, it } from 'vitest';
import { applyUserPreference } from './apply-user-preference.ts';
import { contactOf, fakeTransactions } from './fake-transactions.ts';
import { deleteContact } from './delete-contact.ts';
import { setContactOptOut } from './opt-out-contact.ts';

const at = (iso: string) => new Date(iso);
const stop = (phone: string, occurredAt: string) => ({
  phone,
  optedOut: true,
  reason: 'keyword',
  occurredAt: at(occurredAt),
});

describe('applyUserPreference', () => {
  it('when a contact says STOP, then it is opted out and one suppression is announced; the same STOP again announces nothing', async () => {
    const fake = fakeTransactions({ contacts: [contactOf('c1', '+919876543210')] });
    expect(await applyUserPreference(fake, stop('+919876543210', '2026-03-01T10:00:00Z'))).toMatchObject({
      result: 'applied',
      contact: { id: 'c1', optedOut: true },
    });
    expect(await applyUserPreference(fake, stop('+919876543210', '2026-03-01T10:00:00Z'))).toMatchObject({
      result: 'unchanged',
    });
    expect(fake.events).toEqual([
      {
        event: 'suppression.changed.v1',
        payload: {
          contactId: 'c1',
          phone: '+919876543210',
          suppressed: true,
          reason: 'opted_out',
          occurredAt: '2026-03-01T10:00:00.000Z',
        },
      },
    ]);
  });

  it('when an older opt-in arrives after a STOP, then it is stale and changes nothing', async () => {
    const fake = fakeTransactions({ contacts: [contactOf('c1', '+919876543210')] });
    await applyUserPreference(fake, stop('+919876543210', '2026-03-01T10:00:00Z'));
    const late = { phone: '+919876543210', optedOut: false, reason: 'keyword', occurredAt: at('2026-03-01T09:00:00Z') };
    expect(await applyUserPreference(fake, late)).toMatchObject({ result: 'stale' });
    expect(fake.contact('c1')?.optedOut).toBe(true);
    expect(fake.events).toHaveLength(1);
  });

  it.each([
    { country: 'Mexico', stored: '+525512345678', reported: '+5215512345678' },
    { country: 'Brazil', stored: '+5511987654321', reported: '+551187654321' },
  ])(
    'when the STOP comes from the WhatsApp form of a $country number, then the imported contact is opted out',
    async ({ stored, reported }) => {
      const fake = fakeTransactions({ contacts: [contactOf('imported', stored)] });
      expect(await applyUserPreference(fake, stop(reported, '2026-03-01T10:00:00Z'))).toMatchObject({
        result: 'applied',
        contact: { id: 'imported' },
      });
      expect(fake.events).toEqual([
        expect.objectContaining({ payload: expect.objectContaining({ contactId: 'imported', phone: stored }) }),
      ]);
    },
  );

  it('when both forms are stored, then the exact one wins', async () => {
    const fake = fakeTransactions({
      contacts: [contactOf('short', '+525512345678'), contactOf('exact', '+5215512345678')],
    });
    expect(await applyUserPreference(fake, stop('+5215512345678', '2026-03-01T10:00:00Z'))).toMatchObject({
      contact: { id: 'exact' },
    });
  });

  it('when an unknown number says STOP, then an opted-out contact is kept and announced; an unknown opt-in does nothing', async () => {
    const fake = fakeTransactions();
    expect(
      await applyUserPreference(fake, {
        phone: '+919876500000',
        optedOut: false,
        reason: 'keyword',
        occurredAt: at('2026-03-01T09:00:00Z'),
      }),
    ).toEqual({ result: 'unknown' });
    const outcome = await applyUserPreference(fake, stop('+919876500000', '2026-03-01T10:00:00Z'));
    expect(outcome).toMatchObject({ result: 'applied', contact: { phone: '+919876500000', optedOut: true } });
    expect(fake.events).toHaveLength(1);
  });
});

describe('operator opt-out and deletion', () => {
  const clock = { now: () => at('2026-03-02T00:00:00Z') };

  it('when an operator opts a contact out twice and back in, then two suppressions are announced', async () => {
    const fake = fakeTransactions({ contacts: [contactOf('c1', '+919876543210')] });
    await setContactOptOut({ ...fake, clock }, 'c1', true);
    await setContactOptOut({ ...fake, clock }, 'c1', true);
    await setContactOptOut({ ...fake, clock }, 'c1', false);
    expect(fake.events.map((event) => (event.payload as { suppressed: boolean }).suppressed)).toEqual([true, false]);
  });

  it('when a contact is deleted, then contact_deleted is announced; an unknown one is not found and announces nothing', async () => {
    const fake = fakeTransactions({ contacts: [contactOf('c1', '+919876543210')] });
    await deleteContact({ ...fake, clock }, 'c1');
    expect(fake.contact('c1')).toBeUndefined();
    expect(fake.events).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ contactId: 'c1', suppressed: true, reason: 'contact_deleted' }),
      }),
    ]);
    await expect(deleteContact({ ...fake, clock }, 'c1')).rejects.toMatchObject({ kind: 'not_found' });
    expect(fake.events).toHaveLength(1);
  });
});
