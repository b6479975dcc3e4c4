import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '@ektola/platform/clock';
import { placeholdersOf } from '@ektola/platform/templates';
import { unknownTemplate, type CampaignFields, type CampaignStore } from '../../adapters/postgres-campaign-store.ts';
import type { ContactStore } from '../../adapters/postgres-contact-store.ts';
import type { RunStore } from '../../adapters/postgres-run-store.ts';
import type { TemplateStore } from '../../adapters/postgres-template-store.ts';
import { cancelCampaign } from '../../domain/cancel-run.ts';
import { unrunnableProblem } from '../../domain/campaign-schedule.ts';
import { activationProblems, type CampaignAction } from '../../domain/campaign-state.ts';
import type { Campaign } from '../../domain/model.ts';
import type { Transactions } from '../../domain/ports.ts';
import { unmappedPlaceholders } from '../../domain/template-variables.ts';
import { presentCampaign, presentRun } from './presenters.ts';
import { campaignQuery, campaignSchema, createCampaignBody, errorSchema, idParams, pageOf, pageQuery, patchCampaignBody, runSchema } from './schemas.ts';

export interface CampaignRouteDependencies {
  campaigns: CampaignStore;
  templates: TemplateStore;
  contacts: ContactStore;
  runs: RunStore;
  transactions: Transactions;
  clock: Clock;
  /** The scheduler's grace window (the same SCHEDULER_GRACE_WINDOW): a period older than this never runs. */
  graceWindowMs: number;
}

const tags = ['campaigns'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const actions: Array<{ action: CampaignAction; summary: string }> = [
  {
    action: 'activate',
    summary: 'DRAFT → ACTIVE; needs an APPROVED, fully mapped template, at least one contact to message and a period that can still run (409 campaign_not_schedulable otherwise)',
  },
  { action: 'pause', summary: 'ACTIVE → PAUSED; no new runs are created while paused' },
  { action: 'resume', summary: 'PAUSED → ACTIVE; the activation checks apply again' },
  { action: 'cancel', summary: 'DRAFT, ACTIVE or PAUSED → CANCELLED, for good; its REQUESTED runs are cancelled with it' },
];

export function campaignRoutes(app: FastifyInstance, deps: CampaignRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const present = (campaign: Campaign) => presentCampaign(campaign, { now: deps.clock.now(), graceWindowMs: deps.graceWindowMs });
  /** Writes answer with the campaign as reads show it, latest run included. */
  const presentStored = async (id: string) => present(await deps.campaigns.get(id));

  /** Cancelling goes through its use case, which cancels the campaign's open runs in the same transaction. */
  async function changeStatus(id: string, action: CampaignAction) {
    if (action === 'cancel') return (await cancelCampaign(deps, id)).campaign;
    return deps.campaigns.transition(id, action, async (current, to) => {
      if (to !== 'ACTIVE') return;
      const template = await deps.templates.get(current.templateId);
      const problem =
        activationProblems({
          templateStatus: template.status,
          unmappedPlaceholders: unmappedPlaceholders(placeholdersOf(template.components, template.parameterFormat), template.variables),
          audienceSize: await deps.contacts.countEligible(current.audienceTags),
        }) ?? unrunnableProblem({ ...current, lastRun: await deps.campaigns.lastRun(current.id) }, deps.clock.now(), deps.graceWindowMs);
      if (problem) throw problem;
    });
  }

  async function assertTemplateExists(templateId: string) {
    if (!(await deps.templates.find(templateId))) throw unknownTemplate(templateId);
  }

  api.post(
    '/v1/campaigns',
    { config: { permission: 'write' }, schema: { tags, summary: 'Create a DRAFT campaign', body: createCampaignBody, response: { 201: campaignSchema, ...errors } } },
    async (request, reply) => {
      const body = request.body;
      await assertTemplateExists(body.templateId);
      const fields: CampaignFields = {
        name: body.name,
        templateId: body.templateId,
        recurrence: body.recurrence,
        timezone: body.timezone,
        startAt: new Date(body.startAt),
        endAt: body.endAt ? new Date(body.endAt) : null,
        audienceTags: [...new Set(body.audience.tags)],
      };
      return reply.code(201).send(await presentStored((await deps.campaigns.create(fields)).id));
    },
  );

  api.get(
    '/v1/campaigns',
    { config: { permission: 'read' }, schema: { tags, summary: 'List campaigns, newest first', querystring: campaignQuery, response: { 200: pageOf(campaignSchema), ...errors } } },
    async (request) => {
      const page = await deps.campaigns.list(request.query);
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/campaigns/:id',
    { config: { permission: 'read' }, schema: { tags, summary: 'Get a campaign', params: idParams, response: { 200: campaignSchema, ...errors } } },
    async (request) => presentStored(request.params.id),
  );

  api.patch(
    '/v1/campaigns/:id',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Change a DRAFT or PAUSED campaign (409 otherwise)', params: idParams, body: patchCampaignBody, response: { 200: campaignSchema, ...errors } },
    },
    async (request) => {
      const body = request.body;
      if (body.templateId) await assertTemplateExists(body.templateId);
      const patch: Partial<CampaignFields> = {
        name: body.name,
        templateId: body.templateId,
        recurrence: body.recurrence,
        timezone: body.timezone,
        startAt: body.startAt === undefined ? undefined : new Date(body.startAt),
        audienceTags: body.audience && [...new Set(body.audience.tags)],
      };
      if (body.endAt !== undefined) patch.endAt = body.endAt === null ? null : new Date(body.endAt);
      await deps.campaigns.update(request.params.id, patch);
      return presentStored(request.params.id);
    },
  );

  for (const { action, summary } of actions) {
    api.post(
      `/v1/campaigns/:id/${action}`,
      { config: { permission: 'write' }, schema: { tags, summary, params: idParams, response: { 200: campaignSchema, ...errors } } },
      async (request) => {
        await changeStatus(request.params.id, action);
        return presentStored(request.params.id);
      },
    );
  }

  api.get(
    '/v1/campaigns/:id/runs',
    { config: { permission: 'read' }, schema: { tags, summary: "A campaign's runs, latest period first", params: idParams, querystring: pageQuery, response: { 200: pageOf(runSchema), ...errors } } },
    async (request) => {
      await deps.campaigns.get(request.params.id);
      const page = await deps.runs.listForCampaign(request.params.id, request.query);
      return { items: page.items.map(presentRun), nextCursor: page.nextCursor };
    },
  );
}
