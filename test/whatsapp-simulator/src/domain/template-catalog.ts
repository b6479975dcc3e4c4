import { createHash } from 'node:crypto';
import {
  placeholdersOf,
  templateComponentSchema,
  type ParameterFormat,
  type TemplateComponent,
} from '@ektola/platform/templates';
import { z } from 'zod';

export const templateStatuses = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'LIMIT_EXCEEDED',
] as const;
export type TemplateStatus = (typeof templateStatuses)[number];
export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof templateCategories)[number];

/**
 * A template as a seed file or the admin API gives it: Meta's own management-API shape. Components
 * are kept verbatim for listing (with `example` and whatever else Meta carries) and read through the
 * platform's component schema for placeholder checks, so both sides of EkTola agree on what a
 * placeholder is.
 */
export const templateInputSchema = z.object({
  id: z.string().regex(/^\d+$/).optional(),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be lowercase letters, digits and _'),
  language: z.string().min(2),
  status: z.enum(templateStatuses).default('APPROVED'),
  category: z.enum(templateCategories),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
  components: z.array(z.looseObject({ type: z.string() })).min(1),
});
export type TemplateInput = z.input<typeof templateInputSchema>;

export interface Template {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  /** As given, for the listing endpoint. */
  components: ReadonlyArray<Record<string, unknown>>;
  /** As the platform reads them, for checking a send's parameters. */
  structure: TemplateComponent[];
  /** Placeholder keys in the order Meta expects their values: body.1, header.media, button.0.1 … */
  placeholders: string[];
  /** Meta's quality score once it has one: GREEN, YELLOW, RED; UNKNOWN until then. */
  quality?: string;
}

/**
 * Meta's template ids are 15- or 16-digit numbers; derived from name and language they survive a
 * reset. They stay below 2^53 because webhooks carry them as JSON numbers, which a larger id would
 * reach the receiver rounded.
 */
const stableId = (name: string, language: string) =>
  (
    (BigInt(`0x${createHash('sha256').update(`${name}\u0000${language}`).digest('hex').slice(0, 14)}`) %
      8_000_000_000_000_000n) +
    1_000_000_000_000_000n
  ).toString();

export function toTemplate(input: unknown): Template {
  const parsed = templateInputSchema.parse(input);
  const structure = parsed.components.map((component) =>
    templateComponentSchema.parse({ ...component, type: String(component.type).toUpperCase() }),
  );
  return {
    id: parsed.id ?? stableId(parsed.name, parsed.language),
    name: parsed.name,
    language: parsed.language,
    status: parsed.status,
    category: parsed.category,
    parameterFormat: parsed.parameter_format,
    components: parsed.components,
    structure,
    placeholders: placeholdersOf(structure, parsed.parameter_format),
  };
}

/** Meta's listing fields; `id` is always returned whatever `fields` asks for. */
const listFields = ['name', 'parameter_format', 'components', 'language', 'status', 'category'] as const;

export interface TemplateListQuery {
  limit?: number;
  after?: string;
  before?: string;
  fields?: string;
  name?: string;
  status?: string;
  category?: string;
  language?: string;
}

export interface TemplatePage {
  data: Array<Record<string, unknown>>;
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

const cursorOf = (template: Template) => Buffer.from(template.id).toString('base64url');
const idOfCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

/** The templates one business has, keyed by name and language as Meta keys a translation. */
export class TemplateCatalog {
  readonly #templates = new Map<string, Template>();

  constructor(seed: ReadonlyArray<Template> = []) {
    for (const template of seed) this.put(template);
  }

  static keyOf(name: string, language: string) {
    return `${name}\u0000${language}`;
  }

  put(template: Template): void {
    this.#templates.set(TemplateCatalog.keyOf(template.name, template.language), template);
  }

  get(name: string, language: string): Template | undefined {
    return this.#templates.get(TemplateCatalog.keyOf(name, language));
  }

  /** Any translation of a name, for telling "no such template" from "not in that language". */
  hasName(name: string): boolean {
    for (const template of this.#templates.values()) if (template.name === name) return true;
    return false;
  }

  remove(name: string, language?: string): number {
    let removed = 0;
    for (const [key, template] of this.#templates) {
      if (template.name === name && (language === undefined || template.language === language)) {
        this.#templates.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  setStatus(name: string, language: string, status: TemplateStatus): Template | undefined {
    return this.update(name, language, { status });
  }

  update(
    name: string,
    language: string,
    change: Partial<Pick<Template, 'status' | 'category' | 'quality'>>,
  ): Template | undefined {
    const template = this.get(name, language);
    if (!template) return undefined;
    const updated = { ...template, ...change };
    this.put(updated);
    return updated;
  }

  all(): Template[] {
    return [...this.#templates.values()];
  }

  /**
   * One page as `GET /{waba-id}/message_templates` answers it. Cursors are opaque to clients; `next`
   * is present only while more remain, which is how Meta's clients know to stop.
   */
  list(query: TemplateListQuery, pageUrl: string): TemplatePage {
    const limit = Math.min(Math.max(query.limit ?? 25, 1), 1000);
    const fields = query.fields ? new Set(query.fields.split(',').map((field) => field.trim())) : new Set(listFields);
    const matching = this.all().filter(
      (template) =>
        (query.name === undefined || template.name.includes(query.name)) &&
        (query.status === undefined || query.status.split(',').includes(template.status)) &&
        (query.category === undefined || query.category.split(',').includes(template.category)) &&
        (query.language === undefined || template.language === query.language),
    );
    let start = 0;
    let end = matching.length;
    if (query.after) {
      const index = matching.findIndex((template) => template.id === idOfCursor(query.after!));
      start = index + 1;
      end = Math.min(start + limit, matching.length);
    } else if (query.before) {
      const index = matching.findIndex((template) => template.id === idOfCursor(query.before!));
      end = Math.max(index, 0);
      start = Math.max(end - limit, 0);
    } else {
      end = Math.min(limit, matching.length);
    }
    const page = matching.slice(start, end);
    const data = page.map((template) => {
      const full: Record<string, unknown> = {
        name: template.name,
        parameter_format: template.parameterFormat,
        components: template.components,
        language: template.language,
        status: template.status,
        category: template.category,
      };
      return { ...Object.fromEntries(Object.entries(full).filter(([field]) => fields.has(field))), id: template.id };
    });
    if (page.length === 0) return { data };
    const first = page[0]!;
    const last = page.at(-1)!;
    const link = (cursor: 'after' | 'before', value: string) => {
      const url = new URL(pageUrl);
      url.searchParams.delete('after');
      url.searchParams.delete('before');
      url.searchParams.set('limit', String(limit));
      url.searchParams.set(cursor, value);
      return url.toString();
    };
    return {
      data,
      paging: {
        cursors: { before: cursorOf(first), after: cursorOf(last) },
        ...(end < matching.length ? { next: link('after', cursorOf(last)) } : {}),
        ...(start > 0 ? { previous: link('before', cursorOf(first)) } : {}),
      },
    };
  }
}
