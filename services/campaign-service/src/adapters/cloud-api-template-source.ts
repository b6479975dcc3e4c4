import { request } from 'undici';
import { z } from 'zod';
import { failedPrecondition, unavailable } from '@ektola/platform/errors';
import { templateComponentsSchema } from '@ektola/platform/templates';
import { templateCategories, templateStatuses } from '../domain/model.ts';
import type { TemplateListing, TemplateSource } from '../domain/ports.ts';

const metaTemplateSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.enum(templateStatuses),
  category: z.enum(templateCategories),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
  components: templateComponentsSchema,
});

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
      first.searchParams.set('fields', 'name,status,language,category,components,parameter_format');
      first.searchParams.set('limit', '100');
      let next: string | undefined = first.toString();
      for (let page = 0; next && page < maxPages; page += 1) {
        const { data, paging } = await fetchPage(next);
        for (const item of data) {
          const parsed = metaTemplateSchema.safeParse(item);
          if (parsed.success) {
            const { id, parameter_format, ...rest } = parsed.data;
            listing.templates.push({ ...rest, metaTemplateId: id, parameterFormat: parameter_format });
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
