import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeywordMatcher } from './keywords.ts';
import { createNotificationTranslator } from './notification-events.ts';

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8'));

const now = new Date('2026-03-05T10:00:00.000Z');
const translate = createNotificationTranslator({
  matchKeyword: createKeywordMatcher({ optOut: ['STOP'], optIn: ['START'] }),
  clock: { now: () => now },
});

const eventsOf = (body: unknown) =>
  translate(body).events.map((item) => ({ event: item.event.name, msgId: item.msgId, payload: item.payload }));

describe("Meta's number and account notifications", () => {
  it('when a number is downgraded, then one number update carries the new and old limits', () => {
    const translation = translate(fixture('number-quality-downgrade'));
    expect(translation.items).toEqual(new Map([['number_update', 1]]));
    expect(eventsOf(fixture('number-quality-downgrade'))).toEqual([
      {
        event: 'whatsapp.number_update',
        msgId: expect.stringMatching(/^number-quality:102290129340398:[\w-]{22}$/),
        payload: {
          field: 'phone_number_quality_update',
          businessAccountId: '102290129340398',
          displayPhoneNumber: '15550783881',
          event: 'DOWNGRADE',
          currentLimit: 'TIER_2K',
          previousLimit: 'TIER_10K',
          restrictions: [],
          occurredAt: '2025-02-12T00:43:44.000Z',
        },
      },
    ]);
  });

  it('when a number is flagged without the portfolio limit field, then the event falls back to current_limit', () => {
    const [event] = eventsOf(fixture('number-quality-flagged'));
    expect(event?.payload).toMatchObject({
      event: 'FLAGGED',
      currentLimit: 'TIER_10K',
      displayPhoneNumber: '15550783881',
    });
    expect(event?.payload).not.toHaveProperty('previousLimit', expect.anything());
  });

  it('when an account is restricted, then the restrictions come with ISO expiry instants', () => {
    expect(eventsOf(fixture('account-update-restriction'))).toEqual([
      {
        event: 'whatsapp.number_update',
        msgId: expect.stringMatching(/^account-update:102290129340398:/),
        payload: {
          field: 'account_update',
          businessAccountId: '102290129340398',
          displayPhoneNumber: '15550783881',
          event: 'ACCOUNT_RESTRICTION',
          restrictions: [
            { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: '2026-04-19T13:59:20.000Z' },
            { type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiresAt: '2026-04-19T13:59:20.000Z' },
          ],
          occurredAt: '2025-02-12T00:43:44.000Z',
        },
      },
    ]);
  });

  it('when the business is disabled, then the ban state is carried and no number is named', () => {
    const [event] = eventsOf(fixture('account-update-disabled'));
    expect(event?.payload).toMatchObject({ field: 'account_update', event: 'DISABLED_UPDATE', banState: 'DISABLE' });
    expect(JSON.parse(JSON.stringify(event?.payload))).not.toHaveProperty('displayPhoneNumber');
  });

  it('when a template quality score changes, then one template update carries both scores', () => {
    expect(eventsOf(fixture('template-quality-update'))).toEqual([
      {
        event: 'whatsapp.template_update',
        msgId: expect.stringMatching(/^template-quality:102290129340398:/),
        payload: {
          field: 'message_template_quality_update',
          businessAccountId: '102290129340398',
          metaTemplateId: '806312974732579',
          name: 'welcome_template',
          language: 'en-US',
          previousQuality: 'GREEN',
          newQuality: 'YELLOW',
          occurredAt: '2023-01-28T00:04:50.000Z',
        },
      },
    ]);
  });

  it('when a template moves to another category, then one template update carries both categories', () => {
    const [event] = eventsOf(fixture('template-category-update'));
    expect(event).toMatchObject({
      event: 'whatsapp.template_update',
      payload: {
        field: 'template_category_update',
        metaTemplateId: '806312974732579',
        previousCategory: 'UTILITY',
        newCategory: 'MARKETING',
      },
    });
  });

  it('when Meta redelivers the same notification, then the message id is the same; another time gives another id', () => {
    const first = eventsOf(fixture('number-quality-downgrade'))[0]?.msgId;
    expect(eventsOf(fixture('number-quality-downgrade'))[0]?.msgId).toBe(first);
    const later = fixture('number-quality-downgrade');
    later.entry[0].time += 60;
    expect(eventsOf(later)[0]?.msgId).not.toBe(first);
    const upgraded = fixture('number-quality-downgrade');
    upgraded.entry[0].changes[0].value.event = 'UPGRADE';
    expect(eventsOf(upgraded)[0]?.msgId).not.toBe(first);
  });

  it('when a number update lacks its event, then it is left out as invalid_number_update, and the rest applies', () => {
    const body = fixture('number-quality-downgrade');
    body.entry[0].changes.push(fixture('template-quality-update').entry[0].changes[0]);
    delete body.entry[0].changes[0].value.event;
    const translation = translate(body);
    expect(translation.rejected).toEqual([
      {
        reason: 'invalid_number_update',
        path: 'body.entry.0.changes.0.value',
        problems: [{ path: 'body.entry.0.changes.0.value.event', message: expect.any(String) }],
      },
    ]);
    expect(translation.events.map((item) => item.event.name)).toEqual(['whatsapp.template_update']);
  });

  it('when a restriction expiry is not a date, then the update is rejected naming the field', () => {
    const body = fixture('account-update-restriction');
    body.entry[0].changes[0].value.restriction_info[0].expiration = 'someday';
    expect(translate(body).rejected[0]?.problems[0]?.path).toBe(
      'body.entry.0.changes.0.value.restriction_info.0.expiration',
    );
  });
});
