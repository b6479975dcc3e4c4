import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { activateCampaign, pauseCampaign, type ActivationDeps } from '../../domain/activate-campaign.ts';
import { cancelCampaign } from '../../domain/cancel-run.ts';
import type { CampaignAction } from '../../domain/campaign-state.ts';
import { createCampaign, editCampaign } from '../../domain/edit-campaign.ts';
import type { Campaign, CampaignFields } from '../../domain/model.ts';
import type {
  CampaignRepository,
  RunLedger,
  SegmentDirectory,
  SenderDirectory,
  TemplateCatalog,
} from '../../domain/ports.ts';
import { audienceOf } from './audience-routes.ts';
import { presentCampaign, presentRun } from './presenters.ts';
import {
  campaignQuery,
  campaignSchema,
  createCampaignBody,
  errorSchema,
  idParams,
  pageOf,
  pageQuery,
  patchCampaignBody,
  runSchema,
} from './schemas.ts';

export interface CampaignRouteDependencies extends ActivationDeps {
  campaigns: CampaignRepository;
  templates: TemplateCatalog;
  runs: RunLedger;
  segments: SegmentDirectory;
  senders: Pick<SenderDirectory, 'find'>;
}

const tags = ['campaigns'];
const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
};
const actions: Array<{ action: CampaignAction; summary: string }> = [
  {
    action: 'activate',
    summary:
      'DRAFT → ACTIVE; needs an APPROVED, fully mapped template, at least one contact to message and a period that can still run (409 campaign_not_schedulable otherwise)',
  },
  { action: 'pause', summary: 'ACTIVE → PAUSED; no new runs are created while paused' },
  { action: 'resume', summary: 'PAUSED → ACTIVE; the activation checks apply again' },
  {
    action: 'cancel',
    summary: 'DRAFT, ACTIVE or PAUSED → CANCELLED, for good; its REQUESTED runs are cancelled with it',
  },
];

export function campaignRoutes(app: FastifyInstance, deps: CampaignRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const present = (campaign: Campaign) =>
    presentCampaign(campaign, { now: deps.clock.now(), graceWindowMs: deps.graceWindowMs });
  /** Writes answer with the campaign as reads show it, latest run included. */
  const presentStored = async (id: string) => present(await deps.campaigns.get(id));

  function changeStatus(id: string, action: CampaignAction) {
    switch (action) {
      case 'activate':
      case 'resume':
        return activateCampaign(deps, id, action);
      case 'pause':
        return pauseCampaign(deps, id);
      case 'cancel':
        return cancelCampaign(deps, id);
    }
  }

  api.post(
    '/v1/campaigns',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Create a DRAFT campaign',
        body: createCampaignBody,
        response: { 201: campaignSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const fields: CampaignFields = {
        name: body.name,
        templateId: body.templateId,
        recurrence: body.recurrence,
        timezone: body.timezone,
        startAt: new Date(body.startAt),
        endAt: body.endAt ? new Date(body.endAt) : null,
        audience: audienceOf(body.audience),
        sendWindow: body.sendWindow ?? null,
        senders: body.senders,
      };
      return reply.code(201).send(await presentStored((await createCampaign(deps, fields)).id));
    },
  );

  api.get(
    '/v1/campaigns',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List campaigns, newest first',
        querystring: campaignQuery,
        response: { 200: pageOf(campaignSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.campaigns.list(request.query);
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/campaigns/:id',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'Get a campaign', params: idParams, response: { 200: campaignSchema, ...errors } },
    },
    async (request) => presentStored(request.params.id),
  );

  api.patch(
    '/v1/campaigns/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Change a DRAFT or PAUSED campaign (409 otherwise)',
        params: idParams,
        body: patchCampaignBody,
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const patch: Partial<CampaignFields> = {
        name: body.name,
        templateId: body.templateId,
        recurrence: body.recurrence,
        timezone: body.timezone,
        startAt: body.startAt === undefined ? undefined : new Date(body.startAt),
        audience: body.audience && audienceOf(body.audience),
        senders: body.senders,
      };
      if (body.endAt !== undefined) patch.endAt = body.endAt === null ? null : new Date(body.endAt);
      if (body.sendWindow !== undefined) patch.sendWindow = body.sendWindow;
      await editCampaign(deps, request.params.id, patch);
      return presentStored(request.params.id);
    },
  );

  for (const { action, summary } of actions) {
    api.post(
      `/v1/campaigns/:id/${action}`,
      {
        config: { permission: 'write' },
        schema: { tags, summary, params: idParams, response: { 200: campaignSchema, ...errors } },
      },
      async (request) => {
        await changeStatus(request.params.id, action);
        return presentStored(request.params.id);
      },
    );
  }

  api.get(
    '/v1/campaigns/:id/runs',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "A campaign's runs, latest period first",
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(runSchema), ...errors },
      },
    },
    async (request) => {
      await deps.campaigns.get(request.params.id);
      const page = await deps.runs.listForCampaign(request.params.id, request.query);
      return { items: page.items.map(presentRun), nextCursor: page.nextCursor };
    },
  );
}
