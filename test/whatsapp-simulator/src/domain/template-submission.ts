import { templateComponentSchema, type TemplateComponent } from '@ektola/platform/templates';
import { z } from 'zod';
import { fbtraceId, type MetaError } from './meta-errors.ts';
import { templateCategories, toTemplate, type Template } from './template-catalog.ts';

/** `POST /{waba-id}/message_templates` as Meta reads it; components are checked one by one below. */
const submissionSchema = z.object({
  name: z
    .string()
    .max(512, 'must be at most 512 characters')
    .regex(/^[a-z0-9_]+$/, 'can only contain lowercase alphanumeric characters and underscores'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as en or en_US'),
  category: z.enum(templateCategories),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
  allow_category_change: z.boolean().optional(),
  components: z.array(z.looseObject({ type: z.string() })).min(1, 'must hold at least a BODY'),
});

export type Submitted = { ok: true; template: Template } | { ok: false; error: MetaError };

/**
 * Graph's answer to a template it will not take: code 100 "Invalid parameter", with the reason in
 * `error_user_title` and `error_user_msg` as the Business Manager shows it.
 */
export function invalidTemplate(title: string, message: string, subcode?: number): MetaError {
  return {
    code: 100,
    httpStatus: 400,
    body: {
      error: {
        message: 'Invalid parameter',
        type: 'OAuthException',
        code: 100,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        is_transient: false,
        error_user_title: title,
        error_user_msg: message,
        fbtrace_id: fbtraceId(),
      },
    } as MetaError['body'],
  };
}

const placeholder = /\{\{\s*[a-z0-9_]+\s*\}\}/;
const hasVariables = (text: string | undefined) => text !== undefined && placeholder.test(text);

/** The example each kind of variable needs before Meta will review the template. */
function missingExample(component: TemplateComponent, raw: Record<string, unknown>): string | undefined {
  const example = (raw.example ?? {}) as Record<string, unknown>;
  if (component.type === 'BODY' && hasVariables(component.text)) {
    return example.body_text || example.body_text_named_params ? undefined : 'example.body_text';
  }
  if (component.type === 'HEADER') {
    if (component.format === 'TEXT' && hasVariables(component.text))
      return example.header_text || example.header_text_named_params ? undefined : 'example.header_text';
    if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(component.format))
      return example.header_handle ? undefined : 'example.header_handle';
  }
  return undefined;
}

function missingButtonExample(raw: Record<string, unknown>): number | undefined {
  const buttons = (raw.buttons ?? []) as Array<Record<string, unknown>>;
  const index = buttons.findIndex(
    (button) => button.type === 'URL' && hasVariables(button.url as string | undefined) && !button.example,
  );
  return index < 0 ? undefined : index;
}

/** Reads a submission as Meta does; a valid one becomes a PENDING template of the catalog's shape. */
export function readSubmission(body: unknown): Submitted {
  const parsed = submissionSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    return { ok: false, error: invalidTemplate('Invalid parameter', `Param ${field} ${issue.message}.`) };
  }
  const submission = parsed.data;
  for (const [index, raw] of submission.components.entries()) {
    const component = templateComponentSchema.safeParse({ ...raw, type: String(raw.type).toUpperCase() });
    if (!component.success) {
      const issue = component.error.issues[0]!;
      const field = [`components[${index}]`, ...issue.path.map(String)].join('.');
      return { ok: false, error: invalidTemplate('Invalid parameter', `Param ${field} ${issue.message}.`) };
    }
    const button = component.data.type === 'BUTTONS' ? missingButtonExample(raw) : undefined;
    const example =
      missingExample(component.data, raw) ?? (button === undefined ? undefined : `buttons[${button}].example`);
    if (example) {
      return {
        ok: false,
        error: invalidTemplate(
          'Message template "components" param is missing expected field(s)',
          `The parameter components[${index}].${example} is missing: variables need sample values.`,
          2388043,
        ),
      };
    }
  }
  const { allow_category_change: _allow, ...template } = submission;
  return { ok: true, template: toTemplate({ ...template, status: 'PENDING' }) };
}

/** Meta refuses a second template with the same name and language. */
export const duplicateTemplate = () =>
  invalidTemplate(
    'Message template already exists',
    'Content in this language already exists. Try changing the template name or editing the existing template.',
    2388024,
  );
