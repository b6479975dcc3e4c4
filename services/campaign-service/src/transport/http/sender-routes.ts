import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDomainError } from '@ektola/platform/errors';
import type { DispatchQuery, SenderDirectory } from '../../domain/ports.ts';
import {
  deleteSender,
  editSender,
  refreshSender,
  registerSender,
  type SenderRegistryDeps,
} from '../../domain/sender-registry.ts';
import { effectiveState, mpsInForce, portfolioKeyOf, type Sender } from '../../domain/sender.ts';
import { errorSchema, idParams, pageOf, pageQuery } from './schemas.ts';
import { createSenderBody, patchSenderBody, senderDetailSchema, senderSchema } from './sender-schemas.ts';

export interface SenderRouteDependencies extends SenderRegistryDeps {
  senders: SenderDirectory;
  dispatch: Pick<DispatchQuery, 'senderActivity'>;
}

const tags = ['senders'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const iso = (date: Date | null) => date && date.toISOString();

export const presentSender = (sender: Sender, flaggedFactor: number) => ({
  id: sender.id,
  phoneNumberId: sender.phoneNumberId,
  wabaId: sender.wabaId,
  portfolioId: sender.portfolioId,
  label: sender.label,
  displayPhoneNumber: sender.displayPhoneNumber,
  verifiedName: sender.verifiedName,
  qualityRating: sender.qualityRating,
  throughputLevel: sender.throughputLevel,
  metaMps: sender.metaMps,
  mpsCap: sender.mpsCap,
  mps: mpsInForce(sender, flaggedFactor),
  messagingLimitTier: sender.messagingLimitTier,
  messagingLimit: sender.messagingLimit,
  portfolioKey: portfolioKeyOf(sender),
  nameStatus: sender.nameStatus,
  metaStatus: sender.metaStatus,
  enabled: sender.enabled,
  state: effectiveState(sender),
  stateReason: sender.enabled ? sender.stateReason : 'switched off by an operator',
  stateChangedAt: iso(sender.stateChangedAt),
  isDefault: sender.isDefault,
  version: sender.version,
  refreshedAt: iso(sender.refreshedAt),
  createdAt: sender.createdAt.toISOString(),
  updatedAt: sender.updatedAt.toISOString(),
});

/** Sender numbers: registered from Meta's description, changed by operators and by Meta's signals. */
export function senderRoutes(app: FastifyInstance, deps: SenderRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const present = (sender: Sender) => presentSender(sender, deps.flaggedFactor);

  /** The number's sending now; null when the dispatcher cannot be asked, as the sender is ours to show anyway. */
  async function activityOf(sender: Sender, log: FastifyInstance['log']) {
    try {
      const [activity] = await deps.dispatch.senderActivity([sender.phoneNumberId]);
      if (!activity) return null;
      const { phoneNumberId: _phoneNumberId, ...rest } = activity;
      return rest;
    } catch (error) {
      if (!isDomainError(error) || error.kind !== 'unavailable') throw error;
      log.warn({ err: error, senderId: sender.id }, 'dispatcher did not answer for sender activity');
      return null;
    }
  }

  api.post(
    '/v1/senders',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Register one of the business’s phone numbers, as Meta describes it',
        description:
          'Reads GET /{phone-number-id} at Meta (quality, throughput, messaging limit). 422 when Meta knows no such number, 409 sender_exists when it is registered already, 502 when Meta refuses the access token, 503 when Meta cannot be reached.',
        body: createSenderBody,
        response: {
          201: senderSchema,
          ...errors,
          409: errorSchema,
          422: errorSchema,
          502: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request, reply) => reply.code(201).send(present(await registerSender(deps, request.body))),
  );

  api.get(
    '/v1/senders',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List sender numbers, newest first',
        querystring: pageQuery,
        response: { 200: pageOf(senderSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.senders.list(request.query);
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/senders/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'A sender number with its quality, limits, state and what the dispatcher sends through it now',
        params: idParams,
        response: { 200: senderDetailSchema, ...errors },
      },
    },
    async (request) => {
      const sender = await deps.senders.get(request.params.id);
      return { ...present(sender), activity: await activityOf(sender, request.log) };
    },
  );

  api.patch(
    '/v1/senders/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Relabel a number, switch it off or on, or cap its rate below Meta’s throughput',
        description: "422 naming mpsCap when the cap is above the number's throughput at Meta.",
        params: idParams,
        body: patchSenderBody,
        response: { 200: senderSchema, ...errors, 422: errorSchema },
      },
    },
    async (request) => present(await editSender(deps, request.params.id, request.body)),
  );

  api.delete(
    '/v1/senders/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Delete a sender no DRAFT, ACTIVE or PAUSED campaign sends from; never the default sender',
        params: idParams,
        response: { 204: z.null(), ...errors, 409: errorSchema },
      },
    },
    async (request, reply) => {
      await deleteSender(deps, request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/v1/senders/:id/refresh',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Read the number again at Meta now (the service also does so periodically)',
        params: idParams,
        response: {
          200: senderSchema,
          ...errors,
          409: errorSchema,
          422: errorSchema,
          502: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request) => present(await refreshSender(deps, request.params.id)),
  );
}
