import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messageStatusChanged } from '@ektola/platform/events';
import { itemsOf, type TransitionRow } from './nats-status-announcer.ts';

const row = (overrides: Partial<TransitionRow>): TransitionRow => ({
  id: randomUUID(),
  run_id: randomUUID(),
  campaign_id: randomUUID(),
  contact_id: randomUUID(),
  phone: '+919876543210',
  status: 'SENT',
  at: new Date('2026-12-07T10:00:00.123Z'),
  wamid: null,
  error_code: null,
  error_title: null,
  skip_reason: null,
  ...overrides,
});

// Every shape of row a moving statement returns for an announced status, as the database constrains it.
const announcedRows = [
  row({ status: 'SENT', wamid: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQzY5' }),
  row({ status: 'DELIVERED', wamid: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQzY6' }),
  row({ status: 'READ', wamid: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQzY7' }),
  row({
    status: 'FAILED',
    wamid: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQzY8',
    error_code: 131026,
    error_title: 'Message undeliverable',
  }),
  row({ status: 'FAILED', error_code: 0, error_title: null }),
  row({ status: 'FAILED', error_code: 131049, error_title: '' }),
  row({ status: 'SKIPPED', skip_reason: 'opted_out' }),
  row({ status: 'SKIPPED', skip_reason: 'run_cancelled', at: new Date(0) }),
];

describe('message.status_changed items built from moved rows', () => {
  it('when every announced kind of row is made an item, then the schema takes the event unchanged, so publishing it unchecked sends what a check would have', () => {
    const items = itemsOf(announcedRows);
    expect(items).toHaveLength(announcedRows.length);
    expect(messageStatusChanged.schema.parse({ statuses: items })).toEqual({ statuses: items });
  });

  it('when rows of statuses nothing announces are given, then no item is made of them', () => {
    expect(itemsOf([row({ status: 'PENDING' }), row({ status: 'SENDING' })])).toEqual([]);
  });
});
