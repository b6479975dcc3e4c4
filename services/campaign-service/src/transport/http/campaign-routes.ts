import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { placeholdersOf } from '@ektola/platform/templates';
import { unknownTemplate, type CampaignFields, type CampaignStore } from '../../adapters/postgres-campaign-store.ts';
import type { ContactStore } from '../../adapters/postgres-contact-store.ts';
import type { RunStore } from '../../adapters/postgres-run-store.ts';
import type { TemplateStore } from '../../adapters/postgres-template-store.ts';
import { activationProblems, type CampaignAction } from '../../domain/campaign-state.ts';
import { unmappedPlaceholders } from '../../domain/template-variables.ts';
import { presentCampaign, presentRun } from './presenters.ts';
import { campaignQuery, campaignSchema, createCampaignBody, errorSchema, idParams, pageOf, pageQuery, patchCampaignBody, runSchema } from './schemas.ts';

export interface CampaignRouteDependencies {
  campaigns: CampaignStore;
  templates: TemplateStore;
  contacts: ContactStore;
  runs: RunStore;
}

const tags = ['campaigns'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const actions: Array<{ action: CampaignAction; summary: string }> = [
  { action: 'activate', summary: 'DRAFT → ACTIVE; needs an APPROVED, fully mapped template and at least one contact to message' },
  { action: 'pause', summary: 'ACTIVE → PAUSED; no new runs are created while paused' },
  { action: 'resume', summary: 'PAUSED → ACTIVE; the activation checks apply again' },
  { action: 'cancel', summary: 'DRAFT, ACTIVE or PAUSED → CANCELLED, for good' },
];

export function campaignRoutes(app: FastifyInstance, deps: CampaignRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

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
      return reply.code(201).send(presentCampaign(await deps.campaigns.create(fields)));
    },
  );

  api.get(
    '/v1/campaigns',
    { config: { permission: 'read' }, schema: { tags, summary: 'List campaigns, newest first', querystring: campaignQuery, response: { 200: pageOf(campaignSchema), ...errors } } },
    async (request) => {
      const page = await deps.campaigns.list(request.query);
      return { items: page.items.map(presentCampaign), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/campaigns/:id',
    { config: { permission: 'read' }, schema: { tags, summary: 'Get a campaign', params: idParams, response: { 200: campaignSchema, ...errors } } },
    async (request) => presentCampaign(await deps.campaigns.get(request.params.id)),
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
      return presentCampaign(await deps.campaigns.update(request.params.id, patch));
    },
  );

  for (const { action, summary } of actions) {
    api.post(
      `/v1/campaigns/:id/${action}`,
      { config: { permission: 'write' }, schema: { tags, summary, params: idParams, response: { 200: campaignSchema, ...errors } } },
      async (request) => {
        const campaign = await deps.campaigns.transition(request.params.id, action, async (current, to) => {
          if (to !== 'ACTIVE') return;
          const template = await deps.templates.get(current.templateId);
          const problem = activationProblems({
            templateStatus: template.status,
            unmappedPlaceholders: unmappedPlaceholders(placeholdersOf(template.components, template.parameterFormat), template.variables),
            audienceSize: await deps.contacts.countEligible(current.audienceTags),
          });
          if (problem) throw problem;
        });
        return presentCampaign(campaign);
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
