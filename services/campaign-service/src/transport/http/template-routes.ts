import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid, isDomainError } from '@ektola/platform/errors';
import { optionalPlaceholdersOf, placeholdersOf } from '@ektola/platform/templates';
import type { TemplateFields } from '../../domain/model.ts';
import type { TemplateCatalog, TemplateSource, TemplateSubmission } from '../../domain/ports.ts';
import { submitTemplate } from '../../domain/submit-template.ts';
import { syncTemplates } from '../../domain/sync-templates.ts';
import { mappingProblems } from '../../domain/template-variables.ts';
import { presentTemplate } from './presenters.ts';
import {
  createTemplateBody,
  errorSchema,
  idParams,
  pageOf,
  patchTemplateBody,
  syncResultSchema,
  templateQuery,
  templateSchema,
} from './schemas.ts';

export interface TemplateRouteDependencies {
  templates: TemplateCatalog;
  /** Absent in development mode, where there is no Cloud API to sync from. */
  templateSource: TemplateSource | undefined;
  /** Absent without WHATSAPP_BUSINESS_ACCOUNT_ID: `submit` is then refused. */
  submission: TemplateSubmission | undefined;
}

const tags = ['templates'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** Every placeholder of the components mapped to a contact field, and nothing else: else a 400 naming each. */
function assertMapping(fields: TemplateFields) {
  const problems = mappingProblems(
    placeholdersOf(fields.components, fields.parameterFormat),
    fields.variables,
    optionalPlaceholdersOf(fields.components),
  );
  if (problems.length > 0) {
    throw invalid(
      'the variables do not match the template placeholders',
      problems.map((problem) => ({ path: `body.variables.${problem.path}`, message: problem.message })),
      'invalid_variables',
    );
  }
}

/**
 * What Meta's refusal of a submitted template means to the client: a template Meta will not review (or
 * one without the examples it needs) is 422 with Meta's message, Meta failing is 502 with its message,
 * so an admin sees what to fix either way; an example for no placeholder is a 400 naming it. Other
 * errors take the usual path.
 */
function submissionFailure(error: unknown) {
  if (!isDomainError(error)) return undefined;
  const statusByCode: Record<string, number> = {
    unknown_examples: 400,
    missing_examples: 422,
    meta_rejected: 422,
    meta_failed: 502,
  };
  const status = statusByCode[error.code] ?? 0;
  if (status === 0) return undefined;
  const details = error.details.map((detail) => ({ ...detail, path: `body.${detail.path}` }));
  return { status, body: { error: { code: error.code, message: error.message, details } } };
}

export function templateRoutes(app: FastifyInstance, deps: TemplateRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/templates',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary:
          'Register a Meta template and map its placeholders to contact fields; with submit, create it at Meta for review first',
        body: createTemplateBody,
        response: { 201: templateSchema, ...errors, 422: errorSchema, 502: errorSchema },
      },
    },
    async (request, reply) => {
      const { submit, examples, ...fields } = request.body;
      assertMapping(fields);
      if (!submit) return reply.code(201).send(presentTemplate(await deps.templates.create(fields)));
      try {
        const template = await submitTemplate(deps, fields, examples ?? {});
        request.log.info(
          { templateId: template.id, metaTemplateId: template.metaTemplateId, status: template.status },
          'template submitted to Meta for review',
        );
        return reply.code(201).send(presentTemplate(template));
      } catch (error) {
        const answer = submissionFailure(error);
        if (!answer) throw error;
        request.log.warn({ err: error, name: fields.name, language: fields.language }, 'template submission refused');
        return reply.code(answer.status).send(answer.body);
      }
    },
  );

  api.get(
    '/v1/templates',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List templates',
        querystring: templateQuery,
        response: { 200: pageOf(templateSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.templates.list(request.query);
      return { items: page.items.map(presentTemplate), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/templates/:id',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'Get a template', params: idParams, response: { 200: templateSchema, ...errors } },
    },
    async (request) => presentTemplate(await deps.templates.get(request.params.id)),
  );

  api.patch(
    '/v1/templates/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Change a template; the mapping is checked against the resulting components',
        params: idParams,
        body: patchTemplateBody,
        response: { 200: templateSchema, ...errors },
      },
    },
    async (request) => {
      const current = await deps.templates.get(request.params.id);
      const patch = Object.fromEntries(Object.entries(request.body).filter(([, value]) => value !== undefined));
      const merged: TemplateFields = { ...current, ...patch };
      assertMapping(merged);
      return presentTemplate(await deps.templates.replace(current.id, merged));
    },
  );

  api.delete(
    '/v1/templates/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Delete a template no campaign uses',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.templates.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/v1/templates/sync',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary:
          "Pull names, languages, statuses, categories and components from Meta's message_templates; placeholder mappings are kept",
        response: { 200: syncResultSchema, ...errors, 503: errorSchema },
      },
    },
    async (request) => {
      const result = await syncTemplates(deps);
      request.log.info(
        { created: result.created, updated: result.updated, skipped: result.skipped.length },
        'templates synced from Meta',
      );
      return result;
    },
  );
}
