import { describe, expect, it } from 'vitest';
import { createCampaign, editCampaign } from './edit-campaign.ts';
import { campaignOf, fakeTransactions, senderOf, templateOf } from './fake-transactions.ts';
import { notFound } from '@ektola/platform/errors';
import type { Campaign, CampaignFields, Run } from './model.ts';

const fields: CampaignFields = {
  name: 'Payment reminder',
  templateId: 'template-1',
  recurrence: 'DAILY',
  timezone: 'Asia/Kolkata',
  startAt: new Date('2026-03-01T04:30:00Z'),
  endAt: null,
  audience: { tags: ['loan'], where: [] },
  sendWindow: null,
  senders: [],
};
const senders = { find: async () => [] };
const segments = { find: async () => undefined };
const runs = { get: async (id: string): Promise<Run> => Promise.reject(notFound('run', id)) };
const templates = { find: async (id: string) => (id === 'template-1' ? templateOf(id) : undefined) };

describe('createCampaign', () => {
  it('when the template exists and the schedule makes sense, then a DRAFT is stored', async () => {
    const stored: CampaignFields[] = [];
    const campaigns = { create: async (draft: CampaignFields) => (stored.push(draft), campaignOf('camp', draft)) };
    expect(await createCampaign({ campaigns, templates, segments, runs, senders }, fields)).toMatchObject({
      id: 'camp',
      status: 'DRAFT',
    });
    expect(stored).toEqual([fields]);
  });

  it('when the template does not exist, then it is invalid naming body.templateId and nothing is stored', async () => {
    const campaigns = { create: async () => expect.unreachable('stored a campaign without a template') };
    await expect(
      createCampaign({ campaigns, templates, segments, runs, senders }, { ...fields, templateId: 'gone' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'body.templateId' }],
    });
  });

  it('when a condition is unknown and a segment is missing, then both are named under body.audience', async () => {
    const campaigns = { create: async () => expect.unreachable('stored an invalid audience') };
    const audience = { tags: [], where: [{ field: 'age', op: 'gt', value: 3 }], segmentId: 'gone' };
    await expect(
      createCampaign({ campaigns, templates, segments, runs, senders }, { ...fields, audience }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'body.audience.where[0].field' }],
    });
    await expect(
      createCampaign(
        { campaigns, templates, segments, runs, senders },
        { ...fields, audience: { ...audience, where: [] } },
      ),
    ).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'body.audience.segmentId' }] });
  });

  it('when the template is deleted before the campaign is stored, then it is invalid naming body.templateId', async () => {
    await expect(
      createCampaign({ campaigns: { create: async () => undefined }, templates, segments, runs, senders }, fields),
    ).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'body.templateId' }] });
  });

  it('when the time zone is not an IANA name and endAt precedes startAt, then both are named under body', async () => {
    const campaigns = { create: async () => expect.unreachable('stored an invalid schedule') };
    const bad = { ...fields, timezone: '+05:30', endAt: new Date('2026-02-01T00:00:00Z') };
    await expect(createCampaign({ campaigns, templates, segments, runs, senders }, bad)).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ path: 'body.timezone' }, { path: 'body.endAt' }],
    });
  });
});

describe('editCampaign', () => {
  const seeded = (overrides: Partial<Campaign>) =>
    fakeTransactions({ campaigns: [campaignOf('camp', { ...fields, ...overrides })] });

  it('when a DRAFT is edited, then the given fields change and the others stay', async () => {
    const fake = seeded({});
    const edited = await editCampaign({ ...fake, templates, segments, runs, senders }, 'camp', {
      name: 'April reminder',
      endAt: undefined,
    });
    expect(edited).toMatchObject({
      name: 'April reminder',
      timezone: 'Asia/Kolkata',
      audience: { tags: ['loan'], where: [] },
    });
    expect(fake.campaign('camp')?.name).toBe('April reminder');
  });

  it('when an ACTIVE campaign is edited, then it is a conflict and nothing changes', async () => {
    const fake = seeded({ status: 'ACTIVE' });
    await expect(
      editCampaign({ ...fake, templates, segments, runs, senders }, 'camp', { name: 'x' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'not_editable',
    });
    expect(fake.campaign('camp')?.name).toBe('Payment reminder');
  });

  it('when the edit moves endAt before startAt, then it is invalid naming body.endAt', async () => {
    const fake = seeded({ status: 'PAUSED' });
    await expect(
      editCampaign({ ...fake, templates, segments, runs, senders }, 'camp', {
        endAt: new Date('2026-01-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ details: [{ path: 'body.endAt' }] });
  });

  it('when the edit names a template that does not exist, then it is invalid naming body.templateId', async () => {
    await expect(
      editCampaign({ ...seeded({}), templates, segments, runs, senders }, 'camp', { templateId: 'gone' }),
    ).rejects.toMatchObject({
      details: [{ path: 'body.templateId' }],
    });
  });

  it('when the campaign does not exist, then it is not found', async () => {
    await expect(
      editCampaign({ ...fakeTransactions(), templates, segments, runs, senders }, 'nope', { name: 'x' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('when an edit names senders, then each must be registered, switched on and named once; a 422 names every one that is not', async () => {
    const fake = seeded({});
    const registered = {
      find: async (ids: readonly string[]) =>
        [senderOf('on'), senderOf('off', { enabled: false })].filter((sender) => ids.includes(sender.id)),
    };
    const deps = { ...fake, templates, segments, runs, senders: registered };
    await expect(editCampaign(deps, 'camp', { senders: ['on', 'gone', 'off', 'on'] })).rejects.toMatchObject({
      kind: 'unprocessable',
      details: [
        { path: 'body.senders.1', message: 'no sender gone' },
        { path: 'body.senders.2', message: expect.stringContaining('switched off') },
        { path: 'body.senders.3', message: 'sender on is named twice' },
      ],
    });
    expect(fake.campaign('camp')?.senders).toEqual([]);
    expect((await editCampaign(deps, 'camp', { senders: ['on'] })).senders).toEqual(['on']);
  });
});
