import type { ELDHistogram } from 'node:perf_hooks';
import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { TemplateReviewer } from '../adapters/template-reviewer.ts';
import type { WebhookSender } from '../adapters/webhook-sender.ts';
import type { CloudApi } from '../cloud-api.ts';
import { faultSchema } from '../domain/fault-plan.ts';
import { newWamid } from '../domain/ids.ts';
import { toTemplate, type TemplateStatus } from '../domain/template-catalog.ts';
import { waIdOf } from '../domain/send-request.ts';
import {
  accountErrorNotification,
  inboundButtonNotification,
  inboundInteractiveReplyNotification,
  inboundTextNotification,
  inboundTextReplyNotification,
  templateStatusNotification,
  userPreferenceNotification,
  type BusinessNumber,
} from '../domain/webhook-payloads.ts';
import { applySettingsPatch, type Settings } from '../settings.ts';
import type { HeldRequests } from './held-requests.ts';

export interface AdminContext {
  api: CloudApi;
  webhooks: WebhookSender;
  reviewer: TemplateReviewer;
  initialSettings: () => Settings;
  clock: Clock;
  hung: HeldRequests;
  logger: Logger;
  /** The simulator's own event-loop delay since the last reset. */
  loopDelay: ELDHistogram;
}

/** Raised for an admin call that is well-formed but cannot be done; answered with its status. */
export class AdminError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
  }
}

const phone = z
  .string()
  .refine((value) => waIdOf(value) !== undefined, 'must be a phone number')
  .transform((value) => waIdOf(value)!);
const onNumber = { phoneNumberId: z.string().optional() };
/** Meta re-delivers a notification it got no 200 for (and sometimes one it did): the same bytes again. */
const deliveries = { deliveries: z.number().int().min(1).max(5).default(1) };

const inboundText = z
  .object({
    from: phone,
    body: z.string().min(1),
    name: z.string().default('Simulated User'),
    /** Makes the text a reply to this message (Meta's context); none otherwise. */
    contextMessageId: z.string().min(1).optional(),
    ...onNumber,
    ...deliveries,
  })
  .strict();
const inboundButton = z
  .object({
    from: phone,
    payload: z.string().min(1),
    text: z.string().optional(),
    contextMessageId: z.string().optional(),
    name: z.string().default('Simulated User'),
    ...onNumber,
    ...deliveries,
  })
  .strict();
const inboundButtonReply = z
  .object({
    from: phone,
    id: z.string().min(1),
    title: z.string().min(1),
    contextMessageId: z.string().optional(),
    name: z.string().default('Simulated User'),
    ...onNumber,
    ...deliveries,
  })
  .strict();
const inboundListReply = inboundButtonReply.extend({ description: z.string().optional() }).strict();
const userPreference = z
  .object({ waId: phone, value: z.enum(['stop', 'resume']), detail: z.string().optional(), ...onNumber })
  .strict();
const templateEvent = z
  .object({
    name: z.string().min(1),
    language: z.string().min(2),
    event: z.enum([
      'APPROVED',
      'REJECTED',
      'PENDING',
      'PAUSED',
      'DISABLED',
      'FLAGGED',
      'REINSTATED',
      'IN_APPEAL',
      'PENDING_DELETION',
    ]),
    reason: z.string().optional(),
  })
  .strict();
const accountError = z
  .object({ code: z.number().int().positive(), details: z.string().optional(), ...onNumber })
  .strict();
/** A code applied `times` in a row, or until cleared when `times` is omitted. */
const countedRule = z
  .object({ code: z.number().int().positive(), times: z.number().int().positive().nullable().default(null) })
  .strict();
const recipientPatch = z
  .object({
    // A bare code fails every accepted message until cleared.
    failWith: z
      .union([
        z
          .number()
          .int()
          .positive()
          .transform((code) => ({ code, times: null })),
        countedRule,
        z.null(),
      ])
      .optional(),
    rejectWith: z.union([countedRule, z.null()]).optional(),
    marketingStopped: z.boolean().optional(),
  })
  .strict();

const sentQuery = z
  .object({
    to: phone.optional(),
    template: z.string().min(1).optional(),
    phoneNumberId: z.string().regex(/^\d+$/).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
  })
  .strict();

/** The template statuses a status-update event leaves the template in; FLAGGED is a warning only. */
const statusAfter: Partial<Record<z.output<typeof templateEvent>['event'], TemplateStatus>> = {
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  PENDING: 'PENDING',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  REINSTATED: 'APPROVED',
  IN_APPEAL: 'IN_APPEAL',
  PENDING_DELETION: 'PENDING_DELETION',
};

/** `/_sim/...`: the simulator's own controls. Not part of Meta's API; see the README for each call. */
export function adminRoutes(app: FastifyInstance, context: AdminContext): void {
  const { api, webhooks, clock } = context;
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  const numberOf = (phoneNumberId: string | undefined): BusinessNumber => {
    const number = api.number(phoneNumberId);
    if (!number) throw new AdminError(404, `no phone number ${phoneNumberId}`);
    return number;
  };
  const deliver = (reply: FastifyReply, payload: unknown, times = 1) => {
    if (!webhooks.enabled)
      throw new AdminError(
        409,
        'webhooks are off: set SIMULATOR_WEBHOOK_URL or PATCH /_sim/config {"webhooks":{"url":…}}',
      );
    let body = '';
    for (let delivery = 0; delivery < times; delivery++) body = webhooks.sendNow(payload);
    return reply.code(202).send({ payload: JSON.parse(body) });
  };

  app.get('/_sim/config', async () => ({
    wabaId: api.wabaId,
    phoneNumbers: api.numbers,
    settings: api.settings,
  }));

  app.patch('/_sim/config', async (request) => {
    api.updateSettings(applySettingsPatch(api.settings, request.body ?? {}));
    context.logger.info({ settings: api.settings }, 'settings changed');
    return { settings: api.settings };
  });

  app.get('/_sim/faults', async () => ({ faults: api.faults.list(clock.now().getTime()) }));

  app.put<{ Params: { phoneNumberId: string } }>('/_sim/faults/:phoneNumberId', async (request) => {
    const { phoneNumberId } = request.params;
    if (phoneNumberId !== '*' && !api.number(phoneNumberId))
      throw new AdminError(404, `no phone number ${phoneNumberId}`);
    const fault = api.faults.set(phoneNumberId, faultSchema.parse(request.body ?? {}), clock.now().getTime());
    context.logger.info({ phoneNumberId, fault }, 'fault set');
    return { phoneNumberId, fault };
  });

  app.delete<{ Params: { phoneNumberId: string } }>('/_sim/faults/:phoneNumberId', async (request, reply) => {
    api.faults.clear(request.params.phoneNumberId);
    return reply.code(204).send();
  });

  app.delete('/_sim/faults', async (_request, reply) => {
    api.faults.clear();
    return reply.code(204).send();
  });

  app.get('/_sim/templates', async () => ({
    data: api.catalog.all().map((template) => ({
      id: template.id,
      name: template.name,
      language: template.language,
      status: template.status,
      category: template.category,
      parameter_format: template.parameterFormat,
      components: template.components,
    })),
  }));

  app.put('/_sim/templates', async (request) => {
    const inputs = Array.isArray(request.body) ? request.body : [request.body];
    const templates = inputs.map((input) => toTemplate(input));
    for (const template of templates) api.catalog.put(template);
    return {
      data: templates.map((template) => ({
        id: template.id,
        name: template.name,
        language: template.language,
        status: template.status,
      })),
    };
  });

  app.delete<{ Params: { name: string }; Querystring: { language?: string } }>(
    '/_sim/templates/:name',
    async (request, reply) => {
      const removed = api.catalog.remove(request.params.name, request.query.language);
      if (removed === 0) throw new AdminError(404, `no template ${request.params.name}`);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { waId: string } }>('/_sim/recipients/:waId', async (request) => ({
    waId: request.params.waId,
    ...api.recipient(phone.parse(request.params.waId)),
    lastMessageId: api.lastMessageTo(request.params.waId) ?? null,
    lastMessage: api.lastMessageOf(request.params.waId) ?? null,
  }));

  app.put<{ Params: { waId: string } }>('/_sim/recipients/:waId', async (request) => {
    const patch = recipientPatch.parse(request.body ?? {});
    const recipient = api.recipient(phone.parse(request.params.waId));
    if (patch.failWith === null) delete recipient.failWith;
    else if (patch.failWith !== undefined) recipient.failWith = { ...patch.failWith };
    if (patch.rejectWith === null) delete recipient.rejectWith;
    else if (patch.rejectWith !== undefined) recipient.rejectWith = { ...patch.rejectWith };
    if (patch.marketingStopped !== undefined) recipient.marketingStopped = patch.marketingStopped;
    return { waId: request.params.waId, ...recipient };
  });

  /** A reply answers the last message sent to that user unless the caller names another. */
  const replyFrom = (input: { from: string; name: string; contextMessageId?: string | undefined }) => {
    const contextMessageId = input.contextMessageId ?? api.lastMessageTo(input.from);
    if (!contextMessageId) throw new AdminError(409, `no message was sent to ${input.from}; give contextMessageId`);
    api.recipient(input.from).lastInboundMs = clock.now().getTime();
    return {
      contact: { waId: input.from, name: input.name },
      message: { id: newWamid(input.from), timestampSec: nowSec(), contextMessageId },
    };
  };

  app.post('/_sim/inbound/text', async (request, reply) => {
    const input = inboundText.parse(request.body);
    const number = numberOf(input.phoneNumberId);
    if (input.contextMessageId) {
      const { contact, message } = replyFrom(input);
      return deliver(
        reply,
        inboundTextReplyNotification(number, contact, { ...message, body: input.body }),
        input.deliveries,
      );
    }
    api.recipient(input.from).lastInboundMs = clock.now().getTime();
    return deliver(
      reply,
      inboundTextNotification(
        number,
        { waId: input.from, name: input.name },
        { id: newWamid(input.from), timestampSec: nowSec(), body: input.body },
      ),
      input.deliveries,
    );
  });

  app.post('/_sim/inbound/button', async (request, reply) => {
    const input = inboundButton.parse(request.body);
    const { contact, message } = replyFrom(input);
    return deliver(
      reply,
      inboundButtonNotification(numberOf(input.phoneNumberId), contact, {
        ...message,
        payload: input.payload,
        text: input.text ?? input.payload,
      }),
      input.deliveries,
    );
  });

  const interactiveReplies = [
    ['button-reply', 'button_reply', inboundButtonReply],
    ['list-reply', 'list_reply', inboundListReply],
  ] as const;
  for (const [path, kind, schema] of interactiveReplies) {
    app.post(`/_sim/inbound/${path}`, async (request, reply) => {
      const input = schema.parse(request.body);
      const { contact, message } = replyFrom(input);
      return deliver(
        reply,
        inboundInteractiveReplyNotification(numberOf(input.phoneNumberId), contact, {
          ...message,
          kind,
          replyId: input.id,
          title: input.title,
          description: (input as { description?: string }).description,
        }),
        input.deliveries,
      );
    });
  }

  app.post('/_sim/user-preferences', async (request, reply) => {
    const input = userPreference.parse(request.body);
    const number = numberOf(input.phoneNumberId);
    api.recipient(input.waId).marketingStopped = input.value === 'stop';
    return deliver(
      reply,
      userPreferenceNotification(number, {
        waId: input.waId,
        value: input.value,
        timestampSec: nowSec(),
        ...(input.detail ? { detail: input.detail } : {}),
      }),
    );
  });

  app.post('/_sim/template-status', async (request, reply) => {
    const input = templateEvent.parse(request.body);
    const template = api.catalog.get(input.name, input.language);
    if (!template) throw new AdminError(404, `no template ${input.name} in ${input.language}`);
    const status = statusAfter[input.event];
    if (status) api.catalog.setStatus(input.name, input.language, status);
    return deliver(
      reply,
      templateStatusNotification(api.wabaId, {
        event: input.event,
        templateId: template.id,
        name: template.name,
        language: template.language,
        category: template.category,
        timeSec: nowSec(),
        ...(input.reason ? { reason: input.reason } : {}),
      }),
    );
  });

  app.post('/_sim/account-errors', async (request, reply) => {
    const input = accountError.parse(request.body);
    return deliver(reply, accountErrorNotification(numberOf(input.phoneNumberId), input.code, input.details));
  });

  app.get('/_sim/stats', async () => ({
    since: api.startedAt.toISOString(),
    ...api.stats.snapshot(),
    webhooks: webhooks.stats(),
    hangingRequests: context.hung.size,
    eventLoopDelayMs: {
      max: Math.round(context.loopDelay.max / 1e5) / 10,
      p99: Math.round(context.loopDelay.percentile(99) / 1e5) / 10,
    },
  }));

  /** What accepted messages carried, newest first: `?to=&template=&phoneNumberId=&limit=`. */
  app.get('/_sim/messages', async (request) => ({ data: api.sent.find(sentQuery.parse(request.query ?? {})) }));

  app.get<{ Params: { id: string } }>('/_sim/messages/:id', async (request) => {
    const message = api.sent.get(request.params.id);
    if (!message) throw new AdminError(404, `no accepted message ${request.params.id} (or it is too old to be kept)`);
    return message;
  });

  app.get<{ Params: { key: string } }>('/_sim/stats/messages/:key', async (request) => ({
    key: request.params.key,
    sends: api.stats.sendsOf(request.params.key),
  }));

  app.post('/_sim/reset', async () => {
    api.reset(context.initialSettings());
    webhooks.reset();
    context.reviewer.reset();
    context.hung.releaseAll();
    context.loopDelay.reset();
    context.logger.info('reset');
    return { reset: true };
  });
}
