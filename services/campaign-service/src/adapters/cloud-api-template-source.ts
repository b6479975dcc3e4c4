import { request } from 'undici';
import { z } from 'zod';
import { DomainError, failedPrecondition, unavailable } from '@ektola/platform/errors';
import { templateComponentsSchema } from '@ektola/platform/templates';
import { templateCategories, templateQualityScores, templateStatuses } from '../domain/model.ts';
import type { TemplateListing, TemplateSource, TemplateSubmission } from '../domain/ports.ts';

const metaTemplateSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.enum(templateStatuses),
  category: z.enum(templateCategories),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
  components: templateComponentsSchema,
  quality_score: z.object({ score: z.string() }).partial().optional(),
  rejected_reason: z.string().optional(),
});

const qualityOf = (score: string | undefined) =>
  templateQualityScores.find((known) => known === score?.toUpperCase()) ?? null;

const pageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ next: z.string().optional() }).optional(),
});

const maxPages = 100;

/**
 * Meta's `paging.next` is followed only on the origin the first page came from: a next link elsewhere
 * would carry the access token to a host EkTola was never configured to talk to.
 */
function sameOrigin(next: string, first: URL): string {
  let url: URL | undefined;
  try {
    url = new URL(next);
  } catch {
    url = undefined;
  }
  if (url?.origin !== first.origin) {
    throw failedPrecondition(
      `the template list's paging.next link leaves the configured Cloud API origin ${first.origin}; the sync stopped there and changed nothing`,
      'untrusted_paging_link',
    );
  }
  return url.toString();
}

/** The business's templates from the Cloud API (`GET /{waba-id}/message_templates`), following Meta's paging. */
export function createCloudApiTemplateSource(options: {
  baseUrl: string;
  accessToken: string;
  businessAccountId: string;
  timeoutMs?: number;
}): TemplateSource {
  const timeout = options.timeoutMs ?? 10_000;

  async function fetchPage(url: string): Promise<z.output<typeof pageSchema>> {
    let response;
    try {
      response = await request(url, {
        headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      throw unavailable(`the WhatsApp Cloud API could not be reached: ${(error as Error).message}`, error);
    }
    const body: unknown = await response.body.json().catch(() => undefined);
    if (response.statusCode !== 200) {
      const message = (body as { error?: { message?: string; code?: number } } | undefined)?.error;
      throw unavailable(
        `the WhatsApp Cloud API answered ${response.statusCode}${message ? ` (code ${message.code}: ${message.message})` : ''}`,
      );
    }
    const page = pageSchema.safeParse(body);
    if (!page.success) throw unavailable('the WhatsApp Cloud API answered a template list EkTola cannot read');
    return page.data;
  }

  return {
    async list() {
      const listing: TemplateListing = { templates: [], skipped: [] };
      const first = new URL(`${options.baseUrl}/${options.businessAccountId}/message_templates`);
      first.searchParams.set(
        'fields',
        'name,status,language,category,components,parameter_format,quality_score,rejected_reason',
      );
      first.searchParams.set('limit', '100');
      let next: string | undefined = first.toString();
      for (let page = 0; next && page < maxPages; page += 1) {
        const { data, paging } = await fetchPage(next);
        for (const item of data) {
          const parsed = metaTemplateSchema.safeParse(item);
          if (parsed.success) {
            const { id, parameter_format, quality_score, rejected_reason, ...rest } = parsed.data;
            listing.templates.push({
              ...rest,
              metaTemplateId: id,
              parameterFormat: parameter_format,
              qualityScore: qualityOf(quality_score?.score),
              rejectedReason:
                rest.status === 'REJECTED' && rejected_reason && rejected_reason !== 'NONE' ? rejected_reason : null,
            });
          } else {
            const { name = '(unnamed)', language = '(unknown)' } = (item ?? {}) as { name?: string; language?: string };
            const reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
            listing.skipped.push({ name, language, reason });
          }
        }
        next = paging?.next && sameOrigin(paging.next, first);
      }
      return listing;
    },
  };
}

const createdSchema = z.object({
  id: z.string().min(1),
  status: z.string().optional(),
  category: z.string().optional(),
});

const metaErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
  }),
});

/** Meta's subcode for a name already used in that language (2388024), or one of its names being deleted (2388023). */
const nameTakenSubcodes = new Set([2388023, 2388024]);

/** What Meta said, the user-facing text first: its `message` alone is often just "Invalid parameter". */
function metaMessage(body: unknown): { text: string; subcode: number | undefined } | undefined {
  const parsed = metaErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, code, error_subcode, error_user_title, error_user_msg } = parsed.data.error;
  const parts = [error_user_title, error_user_msg ?? message].filter(Boolean).join(': ');
  return {
    text: `${parts || 'no message'} (code ${code ?? '?'}${error_subcode ? `, subcode ${error_subcode}` : ''})`,
    subcode: error_subcode,
  };
}

/** Creates templates at Meta for review (`POST /{waba-id}/message_templates`). */
export function createCloudApiTemplateSubmission(options: {
  baseUrl: string;
  accessToken: string;
  businessAccountId: string;
  timeoutMs?: number;
}): TemplateSubmission {
  const timeout = options.timeoutMs ?? 10_000;
  return {
    async submit(draft) {
      let response;
      try {
        response = await request(`${options.baseUrl}/${options.businessAccountId}/message_templates`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.accessToken}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({
            name: draft.name,
            language: draft.language,
            category: draft.category,
            parameter_format: draft.parameterFormat,
            components: draft.components,
          }),
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
      } catch (error) {
        throw new DomainError(
          'unavailable',
          `the WhatsApp Cloud API could not be reached: ${(error as Error).message}`,
          {
            code: 'meta_failed',
            cause: error,
          },
        );
      }
      const body: unknown = await response.body.json().catch(() => undefined);
      const said = metaMessage(body);
      if (
        response.statusCode >= 400 &&
        response.statusCode < 500 &&
        response.statusCode !== 401 &&
        response.statusCode !== 403
      ) {
        if (said && (nameTakenSubcodes.has(said.subcode ?? 0) || /already exists/i.test(said.text)))
          throw new DomainError('conflict', `Meta already has this template: ${said.text}`, {
            code: 'template_exists',
          });
        throw new DomainError('invalid', `Meta refused the template: ${said?.text ?? `HTTP ${response.statusCode}`}`, {
          code: 'meta_rejected',
        });
      }
      if (response.statusCode !== 200) {
        throw new DomainError(
          'unavailable',
          `the WhatsApp Cloud API answered ${response.statusCode}${said ? `: ${said.text}` : ''}`,
          { code: 'meta_failed' },
        );
      }
      const created = createdSchema.safeParse(body);
      if (!created.success)
        throw new DomainError('unavailable', 'the WhatsApp Cloud API answered a created template EkTola cannot read', {
          code: 'meta_failed',
        });
      const status = templateStatuses.find((known) => known === created.data.status) ?? 'PENDING';
      const category = templateCategories.find((known) => known === created.data.category) ?? draft.category;
      return { id: created.data.id, status, category };
    },
  };
}
