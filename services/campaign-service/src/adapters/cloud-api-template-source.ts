import { z } from 'zod';
import { DomainError, failedPrecondition, unavailable } from '@ektola/platform/errors';
import { templateComponentsSchema } from '@ektola/platform/templates';
import { templateCategories, templateQualityScores, templateStatuses } from '../domain/model.ts';
import type { TemplateListing, TemplateSource, TemplateSubmission } from '../domain/ports.ts';
import { createGraphApi } from './graph-api.ts';

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
  const graph = createGraphApi(options);

  async function fetchPage(url: string): Promise<z.output<typeof pageSchema>> {
    const answer = await graph.call(url);
    if (answer.status !== 200)
      throw unavailable(
        `the WhatsApp Cloud API answered ${answer.status}${answer.refusal ? ` (${answer.refusal.text})` : ''}`,
      );
    const page = pageSchema.safeParse(answer.body);
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

/** Meta's subcode for a name already used in that language (2388024), or one of its names being deleted (2388023). */
const nameTakenSubcodes = new Set([2388023, 2388024]);

/** Creates templates at Meta for review (`POST /{waba-id}/message_templates`). */
export function createCloudApiTemplateSubmission(options: {
  baseUrl: string;
  accessToken: string;
  businessAccountId: string;
  timeoutMs?: number;
}): TemplateSubmission {
  const graph = createGraphApi(options);
  return {
    async submit(draft) {
      const answer = await graph
        .call(`${options.baseUrl}/${options.businessAccountId}/message_templates`, {
          method: 'POST',
          json: {
            name: draft.name,
            language: draft.language,
            category: draft.category,
            parameter_format: draft.parameterFormat,
            components: draft.components,
          },
        })
        .catch((error: unknown) => {
          throw new DomainError('unavailable', (error as Error).message, { code: 'meta_failed', cause: error });
        });
      const { status, refusal } = answer;
      // 401 and 403 are EkTola's token, not the template: the operator cannot fix those by editing it.
      if (status >= 400 && status < 500 && status !== 401 && status !== 403) {
        if (refusal && (nameTakenSubcodes.has(refusal.subcode ?? 0) || /already exists/i.test(refusal.text)))
          throw new DomainError('conflict', `Meta already has this template: ${refusal.text}`, {
            code: 'template_exists',
          });
        throw new DomainError('invalid', `Meta refused the template: ${refusal?.text ?? `HTTP ${status}`}`, {
          code: 'meta_rejected',
        });
      }
      if (status !== 200) {
        throw new DomainError(
          'unavailable',
          `the WhatsApp Cloud API answered ${status}${refusal ? `: ${refusal.text}` : ''}`,
          { code: 'meta_failed' },
        );
      }
      const created = createdSchema.safeParse(answer.body);
      if (!created.success)
        throw new DomainError('unavailable', 'the WhatsApp Cloud API answered a created template EkTola cannot read', {
          code: 'meta_failed',
        });
      const review = templateStatuses.find((known) => known === created.data.status) ?? 'PENDING';
      const category = templateCategories.find((known) => known === created.data.category) ?? draft.category;
      return { id: created.data.id, status: review, category };
    },
  };
}
