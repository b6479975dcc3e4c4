import { DomainError, failedPrecondition, type ErrorDetail } from '@ektola/platform/errors';
import {
  fillPlaceholders,
  optionalPlaceholdersOf,
  placeholderNames,
  placeholdersOf,
  type ParameterFormat,
  type TemplateComponent,
} from '@ektola/platform/templates';
import type { Template, TemplateFields } from './model.ts';
import type { TemplateCatalog, TemplateSubmission } from './ports.ts';

/** An example value per placeholder key (`body.1`, `header.first_name`, `button.0.1`, `button.1.coupon_code`). */
export type TemplateExamples = Readonly<Record<string, string>>;

/**
 * The components as Meta's `POST /{waba-id}/message_templates` takes them: every placeholder with an
 * example value, which Meta requires to review a template (positional ones as lists, named ones as
 * `param_name`/`example` pairs, a URL button's as the whole URL, a copy-code button's as a code, a media
 * header's as an upload handle). A component that already carries Meta's `example` keeps it. Throws an
 * invalid error naming each placeholder no example can be found for.
 */
export function componentsForReview(
  components: readonly TemplateComponent[],
  format: ParameterFormat,
  exampleOf: (key: string) => string | undefined,
): Array<Record<string, unknown>> {
  const missing: ErrorDetail[] = [];
  const example = (key: string) => {
    const value = exampleOf(key);
    if (value === undefined || value === '') {
      missing.push({
        path: `examples.${key}`,
        message: `Meta reviews a template only with an example for each placeholder; give one for ${key} here or as the mapping's default`,
      });
      return '';
    }
    return value;
  };
  const textExample = (component: 'header' | 'body', text: string | undefined) => {
    const names = placeholderNames(text, format);
    if (names.length === 0) return undefined;
    if (format === 'NAMED')
      return {
        [`${component}_text_named_params`]: names.map((name) => ({
          param_name: name,
          example: example(`${component}.${name}`),
        })),
      };
    const values = names.map((name) => example(`${component}.${name}`));
    return { [`${component}_text`]: component === 'body' ? [values] : values };
  };

  const reviewed = components.map((component): Record<string, unknown> => {
    if (component.example !== undefined) return { ...component };
    if (component.type === 'HEADER') {
      if (component.format === 'TEXT') return withExample(component, textExample('header', component.text));
      if (component.format === 'LOCATION') return { ...component };
      return { ...component, example: { header_handle: [example('header.media')] } };
    }
    if (component.type === 'BODY') return withExample(component, textExample('body', component.text));
    if (component.type === 'BUTTONS') {
      return {
        ...component,
        buttons: component.buttons.map((button, index) => {
          if (button.example !== undefined) return button;
          if (button.type === 'URL' && button.url && placeholderNames(button.url, format).length > 0)
            return { ...button, example: [fillPlaceholders(button.url, (name) => example(`button.${index}.${name}`))] };
          if (button.type === 'COPY_CODE') return { ...button, example: example(`button.${index}.coupon_code`) };
          return button;
        }),
      };
    }
    return { ...component };
  });
  if (missing.length > 0)
    throw new DomainError('invalid', 'Meta needs an example value for every placeholder of a submitted template', {
      code: 'missing_examples',
      details: missing,
    });
  return reviewed;
}

const withExample = (component: TemplateComponent, example: Record<string, unknown> | undefined) =>
  example ? { ...component, example } : { ...component };

/**
 * An admin creates a template at Meta and registers it here in one step: the mapping is checked first,
 * Meta receives the components with example values, and the template is stored with Meta's id and the
 * status Meta answered (PENDING while Meta reviews it). The `whatsapp.template_status` consumer then
 * takes it to APPROVED or REJECTED.
 */
export async function submitTemplate(
  deps: { templates: Pick<TemplateCatalog, 'create' | 'findByName'>; submission: TemplateSubmission | undefined },
  fields: TemplateFields,
  examples: TemplateExamples,
): Promise<Template> {
  if (!deps.submission) {
    throw failedPrecondition(
      'submitting a template needs WHATSAPP_BUSINESS_ACCOUNT_ID and WHATSAPP_ACCESS_TOKEN (or WHATSAPP_API_BASE_URL)',
      'submit_not_configured',
    );
  }
  if (await deps.templates.findByName(fields.name, fields.language))
    throw new DomainError('conflict', `a template ${fields.name} in ${fields.language} already exists`, {
      code: 'template_exists',
    });
  const known = new Set([
    ...placeholdersOf(fields.components, fields.parameterFormat),
    ...optionalPlaceholdersOf(fields.components),
  ]);
  const unknown = Object.keys(examples).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new DomainError('invalid', 'examples name placeholders the components lack', {
      code: 'unknown_examples',
      details: unknown.map((key) => ({
        path: `examples.${key}`,
        message: `the components have no placeholder ${key}; they have ${[...known].join(', ') || 'none'}`,
      })),
    });
  const components = componentsForReview(
    fields.components,
    fields.parameterFormat,
    (key) => examples[key] ?? fields.variables[key]?.default,
  );
  const created = await deps.submission.submit({
    name: fields.name,
    language: fields.language,
    category: fields.category,
    parameterFormat: fields.parameterFormat,
    components,
  });
  return deps.templates.create(
    { ...fields, status: created.status, category: created.category },
    { metaTemplateId: created.id },
  );
}
