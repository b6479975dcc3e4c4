import { describe, expect, it } from 'vitest';
import { whatsappInbound, whatsappStatus, whatsappStatusBatch } from '@ektola/platform/events';
import { outgoing } from './event-sink.ts';
import { batchStatuses } from './status-batches.ts';

const status = (wamid: string, value: 'sent' | 'delivered' | 'read' = 'delivered') =>
  outgoing(
    whatsappStatus,
    { wamid, status: value, occurredAt: '2026-03-05T10:00:00.000Z', recipientId: '1', phoneNumberId: '2', errors: [] },
    `${wamid}:${value}`,
  );
const inbound = outgoing(
  whatsappInbound,
  {
    messageId: 'wamid.in',
    from: '+16505551234',
    phoneNumberId: '2',
    occurredAt: '2026-03-05T10:00:00.000Z',
    type: 'text',
    text: 'hello',
  },
  'wamid.in',
);

describe('batchStatuses', () => {
  it('when a delivery carries several statuses, then they become one v2 event in order and the other events stay as they are', () => {
    const events = batchStatuses([status('a'), inbound, status('b', 'read')]);
    expect(events.map((event) => event.event)).toEqual([whatsappStatusBatch, whatsappInbound]);
    expect((events[0]!.payload as { statuses: Array<{ wamid: string; status: string }> }).statuses).toEqual([
      expect.objectContaining({ wamid: 'a', status: 'delivered' }),
      expect.objectContaining({ wamid: 'b', status: 'read' }),
    ]);
    expect(events[1]).toBe(inbound);
  });

  it('when the same delivery is translated again, then its batch has the same msgId; other statuses, another one', () => {
    const first = batchStatuses([status('a'), status('b')])[0]?.msgId;
    expect(batchStatuses([status('a'), status('b')])[0]?.msgId).toBe(first);
    expect(first).toMatch(/^statuses:[\w-]+$/);
    expect(batchStatuses([status('a'), status('b', 'read')])[0]?.msgId).not.toBe(first);
    expect(batchStatuses([status('b'), status('a')])[0]?.msgId).not.toBe(first);
  });

  it('when a delivery carries one status or none, then its events are published unchanged', () => {
    const lone = [status('a'), inbound];
    expect(batchStatuses(lone)).toBe(lone);
    expect(batchStatuses([inbound])).toEqual([inbound]);
  });
});
