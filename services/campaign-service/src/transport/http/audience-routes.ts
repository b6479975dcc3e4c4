import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Audience, Condition, RunOutcomeFilter } from '../../domain/audience.ts';
import type {
  AudienceDirectory,
  DispatchQuery,
  GuardrailStore,
  RateCardStore,
  RecipientSets,
  RunLedger,
  SegmentDirectory,
  TemplateCatalog,
} from '../../domain/ports.ts';
import { previewAudience } from '../../domain/preview-audience.ts';
import { createSegment, updateSegment } from '../../domain/segments.ts';
import { presentContact, presentSegment } from './presenters.ts';
import {
  errorSchema,
  idParams,
  pageOf,
  pageQuery,
  patchSegmentBody,
  previewBody,
  previewSchema,
  segmentBody,
  segmentSchema,
} from './schemas.ts';

export interface AudienceRouteDependencies {
  segments: SegmentDirectory;
  audiences: AudienceDirectory;
  rateCards: RateCardStore;
  guardrails: GuardrailStore;
  templates: TemplateCatalog;
  runs: RunLedger;
  dispatch: DispatchQuery;
  recipientSets: RecipientSets;
}

const tags = ['audiences'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** An audience as the API takes it, its tags without repeats. */
export const audienceOf = (body: {
  tags: string[];
  where: Condition[];
  segmentId?: string | undefined;
  fromRun?:
    | { runId: string; statuses: RunOutcomeFilter['statuses']; errorCodes: number[]; replied?: boolean | undefined }
    | undefined;
}): Audience => ({
  tags: [...new Set(body.tags)],
  where: body.where,
  segmentId: body.segmentId,
  fromRun: body.fromRun && { ...body.fromRun, statuses: [...new Set(body.fromRun.statuses)] },
});

export function audienceRoutes(app: FastifyInstance, deps: AudienceRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/audiences/preview',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Count an audience before sending: who a run would message, who is excluded and why, and the cost',
        body: previewBody,
        response: { 200: previewSchema, ...errors },
      },
    },
    async (request) => {
      const preview = await previewAudience(deps, {
        audience: audienceOf(request.body.audience),
        templateId: request.body.templateId,
      });
      return { ...preview, sample: preview.sample.map(presentContact) };
    },
  );

  api.post(
    '/v1/segments',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Save an audience under a name',
        body: segmentBody,
        response: { 201: segmentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const segment = await createSegment(deps, {
        name: request.body.name,
        audience: audienceOf(request.body.audience),
      });
      return reply.code(201).send(presentSegment(segment));
    },
  );

  api.get(
    '/v1/segments',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List segments, newest first',
        querystring: pageQuery,
        response: { 200: pageOf(segmentSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.segments.list(request.query);
      return { items: page.items.map(presentSegment), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/segments/:id',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'Get a segment', params: idParams, response: { 200: segmentSchema, ...errors } },
    },
    async (request) => presentSegment(await deps.segments.get(request.params.id)),
  );

  api.patch(
    '/v1/segments/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Change a segment; campaigns naming it address the new audience from their next run',
        params: idParams,
        body: patchSegmentBody,
        response: { 200: segmentSchema, ...errors },
      },
    },
    async (request) => {
      const { name, audience } = request.body;
      const segment = await updateSegment(deps, request.params.id, {
        name,
        audience: audience && audienceOf(audience),
      });
      return presentSegment(segment);
    },
  );

  api.delete(
    '/v1/segments/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Delete a segment no campaign or segment names (409 segment_in_use otherwise)',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.segments.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
