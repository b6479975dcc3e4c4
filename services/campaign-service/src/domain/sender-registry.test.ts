import { describe, expect, it } from 'vitest';
import { unprocessable } from '@ektola/platform/errors';
import { campaignOf, fakeTransactions, senderOf } from './fake-transactions.ts';
import type { NumberReader } from './ports.ts';
import type { MetaNumber, Sender } from './sender.ts';
import { deleteSender, editSender, ensureDefaultSender, refreshSender, registerSender } from './sender-registry.ts';

const clock = { now: () => new Date('2026-03-05T10:00:00Z') };
const described = (phoneNumberId: string, overrides: Partial<MetaNumber> = {}): MetaNumber => ({
  phoneNumberId,
  displayPhoneNumber: '15550000002',
  verifiedName: 'EkTola',
  qualityRating: 'GREEN',
  throughputLevel: 'HIGH',
  messagingLimitTier: 'TIER_10K',
  nameStatus: 'APPROVED',
  status: 'CONNECTED',
  ...overrides,
});
const readerOf = (numbers: Record<string, MetaNumber>): NumberReader => ({
  read: async (id) => {
    const number = numbers[id];
    if (!number) throw unprocessable('unknown', [{ path: 'phoneNumberId', message: 'Meta answered code 100' }]);
    return number;
  },
});

function world(senders: Sender[] = [], numbers: Record<string, MetaNumber> = {}, campaigns = [campaignOf('camp')]) {
  const fake = fakeTransactions({ senders, campaigns });
  const deps = {
    ...fake,
    clock,
    flaggedFactor: 0.5,
    defaultWabaId: 'waba-1',
    numbers: readerOf(numbers),
    senders: { get: async (id: string) => fake.sender(id)! },
  };
  return { fake, deps };
}

describe('registerSender', () => {
  it('when Meta describes the number, then it is stored at version 1 under the default WABA and announced', async () => {
    const { fake, deps } = world([], { '222': described('222') });
    const sender = await registerSender(deps, { phoneNumberId: '222', label: 'Sales' });
    expect(sender).toMatchObject({
      wabaId: 'waba-1',
      metaMps: 1_000,
      messagingLimit: 10_000,
      version: 1,
      label: 'Sales',
    });
    expect(fake.events).toEqual([
      {
        event: 'sender.changed.v1',
        payload: expect.objectContaining({ phoneNumberId: '222', mps: 1_000, version: 1 }),
      },
    ]);
  });

  it('when Meta knows no such number, then the 422 names body.phoneNumberId and nothing is stored', async () => {
    const { fake, deps } = world();
    await expect(registerSender(deps, { phoneNumberId: '999' })).rejects.toMatchObject({
      kind: 'unprocessable',
      details: [{ path: 'body.phoneNumberId', message: 'Meta answered code 100' }],
    });
    expect(fake.events).toEqual([]);
  });

  it('when no Cloud API is configured, then registration is refused with the reason', async () => {
    const { deps } = world();
    await expect(registerSender({ ...deps, numbers: undefined }, { phoneNumberId: '1' })).rejects.toMatchObject({
      code: 'cloud_api_not_configured',
    });
  });
});

describe('editSender', () => {
  it("when the cap is above Meta's throughput, then a 422 names body.mpsCap; within it the change is announced at a new version", async () => {
    const { fake, deps } = world([senderOf('s')]);
    await expect(editSender(deps, 's', { mpsCap: 81 })).rejects.toMatchObject({
      kind: 'unprocessable',
      details: [{ path: 'body.mpsCap', message: expect.stringContaining('80') }],
    });
    expect(await editSender(deps, 's', { mpsCap: 30 })).toMatchObject({ mpsCap: 30, version: 2 });
    expect(fake.events.at(-1)?.payload).toMatchObject({ mps: 30, version: 2 });
  });
});

describe('deleteSender', () => {
  it('when an open campaign sends from it, then 409 sender_in_use; the default sender is never deleted', async () => {
    const { fake, deps } = world([senderOf('s'), senderOf('d', { isDefault: true, phoneNumberId: 'pn-d' })], {}, [
      campaignOf('camp', { status: 'PAUSED', senders: ['s'], name: 'Reminders' }),
    ]);
    await expect(deleteSender(deps, 's')).rejects.toMatchObject({
      code: 'sender_in_use',
      message: expect.stringContaining('Reminders'),
    });
    await expect(deleteSender(deps, 'd')).rejects.toMatchObject({ code: 'default_sender' });
    expect(fake.events).toEqual([]);
  });

  it('when no open campaign sends from it, then it is removed and announced DELETED at a higher version', async () => {
    const { fake, deps } = world([senderOf('s', { version: 4 })], {}, [
      campaignOf('camp', { status: 'COMPLETED', senders: ['s'] }),
    ]);
    await deleteSender(deps, 's');
    expect(fake.sender('s')).toBeUndefined();
    expect(fake.events.at(-1)?.payload).toMatchObject({ state: 'DELETED', version: 5 });
  });
});

describe('refreshSender', () => {
  it('when Meta says what is stored, then only the refresh time moves; a change is stored and announced', async () => {
    const stored = senderOf('s', {
      phoneNumberId: '222',
      displayPhoneNumber: '15550000002',
      verifiedName: 'EkTola',
      throughputLevel: 'HIGH',
      metaMps: 1_000,
      messagingLimitTier: 'TIER_10K',
      messagingLimit: 10_000,
    });
    const numbers = { '222': described('222') };
    const { fake, deps } = world([stored], numbers);
    expect(await refreshSender(deps, 's')).toMatchObject({ version: 1, refreshedAt: clock.now() });
    expect(fake.events).toEqual([]);
    numbers['222'] = described('222', { status: 'FLAGGED', throughputLevel: 'STANDARD' });
    expect(await refreshSender(deps, 's')).toMatchObject({
      version: 2,
      state: 'FLAGGED',
      metaMps: 80,
      stateChangedAt: clock.now(),
    });
    expect(fake.events.at(-1)?.payload).toMatchObject({ state: 'FLAGGED', mps: 40 });
  });
});

describe('ensureDefaultSender', () => {
  it('when Meta cannot be reached, then the number is stored as the default at the default throughput, and start-up goes on', async () => {
    const { deps } = world();
    const unreachable: unknown[] = [];
    const { sender, created } = await ensureDefaultSender(
      {
        ...deps,
        numbers: { read: () => Promise.reject(new Error('ECONNREFUSED')) },
        onMetaUnreachable: (error) => unreachable.push(error),
      },
      '106',
    );
    expect(created).toBe(true);
    expect(sender).toMatchObject({ isDefault: true, throughputLevel: 'STANDARD', metaMps: 80, refreshedAt: null });
    expect(unreachable).toHaveLength(1);
  });

  it('when the default exists, then nothing changes; when WHATSAPP_PHONE_NUMBER_ID names another number, that one becomes the default', async () => {
    const { fake, deps } = world([senderOf('old', { phoneNumberId: '106', isDefault: true })], {
      '107': described('107'),
    });
    const options = { ...deps, onMetaUnreachable: () => undefined };
    expect(await ensureDefaultSender(options, '106')).toMatchObject({ created: false, sender: { id: 'old' } });
    const { sender } = await ensureDefaultSender(options, '107');
    expect(sender).toMatchObject({ phoneNumberId: '107', isDefault: true });
    expect(fake.sender('old')?.isDefault).toBe(false);
  });
});
