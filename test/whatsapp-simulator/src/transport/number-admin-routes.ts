import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  limitChangeEvent,
  messagingLimits,
  qualityRatings,
  throughputLevelOf,
  type PhoneNumber,
} from '../domain/phone-numbers.ts';
import { accountUpdateNotification, numberQualityNotification } from '../domain/webhook-payloads.ts';
import { AdminError, type AdminContext } from './admin-routes.ts';

const numberPatch = z
  .object({
    qualityRating: z.enum(qualityRatings).optional(),
    messagingLimit: z.enum(messagingLimits).optional(),
    throughputMps: z.number().int().min(1).max(100_000).nullable().optional(),
  })
  .strict();
const unflag = z.object({ qualityRating: z.enum(['GREEN', 'YELLOW']).default('GREEN') }).strict();
const errorCode = z.number().int().positive();
const restriction = z
  .object({
    restrictionType: z.string().min(1).default('RESTRICTED_BIZ_INITIATED_MESSAGING'),
    durationMs: z.number().int().positive().default(86_400_000),
    /** Meta's answer to sends while restricted: 368, temporarily blocked for policy violations. */
    code: errorCode.default(368),
  })
  .strict();
/** A disabled or offboarded account answers every send with 131031, account locked. */
const blocking = z.object({ code: errorCode.default(131031) }).strict();
const violation = z.object({ violationType: z.string().min(1).default('SCAM') }).strict();

/**
 * `/_sim/numbers`: the business numbers as Meta sees them, and Meta's signals about them. Each change
 * posts the notification Meta would (`phone_number_quality_update`, `account_update`) when webhooks
 * are on, and answers with it either way.
 */
export function numberAdminRoutes(app: FastifyInstance, context: AdminContext): void {
  const { api, webhooks, clock } = context;
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  const numberOf = (phoneNumberId: string): PhoneNumber => {
    const number = api.number(phoneNumberId);
    if (!number) throw new AdminError(404, `no phone number ${phoneNumberId}`);
    return number;
  };
  const notify = (payload: unknown) => {
    if (webhooks.enabled) webhooks.sendNow(payload);
    return payload;
  };
  const view = (number: PhoneNumber) => {
    const mps = number.throughputMps ?? api.settings.limits.throughputPerSecond;
    return {
      ...number,
      throughput: { level: throughputLevelOf(mps), mps },
      sends: api.stats.ofNumber(number.phoneNumberId),
    };
  };
  const answer = (number: PhoneNumber, notifications: unknown[]) => ({
    number: view(number),
    notifications,
    delivered: webhooks.enabled,
  });
  type Params = { Params: { phoneNumberId: string } };

  app.get('/_sim/numbers', async () => ({ data: api.numbers.map(view) }));

  app.get<Params>('/_sim/numbers/:phoneNumberId', async (request) => view(numberOf(request.params.phoneNumberId)));

  /** Quality, messaging limit and throughput, each change with the event Meta sends for it. */
  app.patch<Params>('/_sim/numbers/:phoneNumberId', async (request) => {
    const before = numberOf(request.params.phoneNumberId);
    const patch = numberPatch.parse(request.body ?? {});
    const after = api.updateNumber(before.phoneNumberId, {
      ...patch,
      ...(patch.qualityRating === 'RED' && before.status === 'CONNECTED' ? { status: 'FLAGGED' as const } : {}),
      ...(patch.qualityRating && patch.qualityRating !== 'RED' && before.status === 'FLAGGED'
        ? { status: 'CONNECTED' as const }
        : {}),
    });
    const notifications: unknown[] = [];
    const quality = (event: string, oldLimit?: string) =>
      notifications.push(
        notify(
          numberQualityNotification(after, {
            event,
            currentLimit: after.messagingLimit,
            ...(oldLimit === undefined ? {} : { oldLimit }),
            timeSec: nowSec(),
          }),
        ),
      );
    if (patch.messagingLimit && patch.messagingLimit !== before.messagingLimit)
      quality(limitChangeEvent(before.messagingLimit, patch.messagingLimit), before.messagingLimit);
    if (before.status !== 'FLAGGED' && after.status === 'FLAGGED') quality('FLAGGED');
    if (before.status === 'FLAGGED' && after.status === 'CONNECTED') quality('UNFLAGGED');
    // No limit at all (the simulator-wide limit switched off) counts as the highest throughput.
    const mpsOf = (number: PhoneNumber) =>
      number.throughputMps ?? api.settings.limits.throughputPerSecond ?? Number.POSITIVE_INFINITY;
    if (mpsOf(after) > mpsOf(before) && throughputLevelOf(mpsOf(after)) !== throughputLevelOf(mpsOf(before)))
      quality('THROUGHPUT_UPGRADE');
    context.logger.info({ phoneNumberId: after.phoneNumberId, patch }, 'phone number changed');
    return answer(after, notifications);
  });

  app.post<Params>('/_sim/numbers/:phoneNumberId/flag', async (request) => {
    const number = api.updateNumber(numberOf(request.params.phoneNumberId).phoneNumberId, {
      qualityRating: 'RED',
      status: 'FLAGGED',
    });
    const payload = numberQualityNotification(number, {
      event: 'FLAGGED',
      currentLimit: number.messagingLimit,
      timeSec: nowSec(),
    });
    return answer(number, [notify(payload)]);
  });

  app.post<Params>('/_sim/numbers/:phoneNumberId/unflag', async (request) => {
    const input = unflag.parse(request.body ?? {});
    const number = api.updateNumber(numberOf(request.params.phoneNumberId).phoneNumberId, {
      qualityRating: input.qualityRating,
      status: 'CONNECTED',
    });
    const payload = numberQualityNotification(number, {
      event: 'UNFLAGGED',
      currentLimit: number.messagingLimit,
      timeSec: nowSec(),
    });
    return answer(number, [notify(payload)]);
  });

  app.post<Params>('/_sim/numbers/:phoneNumberId/restrict', async (request) => {
    const input = restriction.parse(request.body ?? {});
    const number = api.updateNumber(numberOf(request.params.phoneNumberId).phoneNumberId, {
      status: 'RESTRICTED',
      blockedWith: input.code,
      blockedUntilMs: clock.now().getTime() + input.durationMs,
    });
    const payload = accountUpdateNotification(number.wabaId, {
      event: 'ACCOUNT_RESTRICTION',
      phoneNumber: number.displayPhoneNumber,
      restrictions: [{ type: input.restrictionType, expiresSec: nowSec() + Math.ceil(input.durationMs / 1000) }],
      timeSec: nowSec(),
    });
    return answer(number, [notify(payload)]);
  });

  app.post<Params>('/_sim/numbers/:phoneNumberId/offboard', async (request) => {
    const input = blocking.parse(request.body ?? {});
    const number = api.updateNumber(numberOf(request.params.phoneNumberId).phoneNumberId, {
      status: 'OFFBOARDED',
      blockedWith: input.code,
    });
    const payload = accountUpdateNotification(number.wabaId, {
      event: 'ACCOUNT_OFFBOARDED',
      phoneNumber: number.displayPhoneNumber,
      timeSec: nowSec(),
    });
    return answer(number, [notify(payload)]);
  });

  app.post<Params>('/_sim/numbers/:phoneNumberId/violation', async (request) => {
    const input = violation.parse(request.body ?? {});
    const number = numberOf(request.params.phoneNumberId);
    const payload = accountUpdateNotification(number.wabaId, {
      event: 'ACCOUNT_VIOLATION',
      violationType: input.violationType,
      timeSec: nowSec(),
    });
    return answer(number, [notify(payload)]);
  });

  /** A ban disables the whole business account: every number of the WABA stops. */
  app.post<Params>('/_sim/numbers/:phoneNumberId/ban', async (request) => {
    const input = blocking.parse(request.body ?? {});
    const { wabaId } = numberOf(request.params.phoneNumberId);
    for (const other of api.numbers.filter((candidate) => candidate.wabaId === wabaId))
      api.updateNumber(other.phoneNumberId, { status: 'BANNED', blockedWith: input.code });
    const payload = accountUpdateNotification(wabaId, {
      event: 'DISABLED_UPDATE',
      banState: 'DISABLE',
      banDate: clock.now().toISOString().slice(0, 10),
      timeSec: nowSec(),
    });
    return answer(numberOf(request.params.phoneNumberId), [notify(payload)]);
  });

  /** Lifts a restriction, offboarding or ban; a ban is lifted for every number of the WABA. */
  app.post<Params>('/_sim/numbers/:phoneNumberId/reinstate', async (request) => {
    const number = numberOf(request.params.phoneNumberId);
    const banned = number.status === 'BANNED';
    const affected = banned ? api.numbers.filter((candidate) => candidate.wabaId === number.wabaId) : [number];
    for (const other of affected) {
      api.updateNumber(other.phoneNumberId, {
        status: other.qualityRating === 'RED' ? 'FLAGGED' : 'CONNECTED',
        blockedWith: undefined,
      });
    }
    const payload = accountUpdateNotification(number.wabaId, {
      event: 'DISABLED_UPDATE',
      ...(banned ? {} : { phoneNumber: number.displayPhoneNumber }),
      banState: 'REINSTATE',
      banDate: clock.now().toISOString().slice(0, 10),
      timeSec: nowSec(),
    });
    return answer(numberOf(number.phoneNumberId), [notify(payload)]);
  });
}
