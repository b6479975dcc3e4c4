import { z } from 'zod';

/**
 * Meta template components as an approved template defines them, and the placeholder keys EkTola
 * maps to contact fields. Placeholders are numbered per component in Meta (a header {{1}} and a body
 * {{1}} are different values), so a key names its component: header.1, body.1, body.first_name,
 * button.0.1 for the first URL button, header.media for an image, video or document header.
 */
export const templateComponentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('HEADER'),
    format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']),
    text: z.string().optional(),
  }),
  z.object({ type: z.literal('BODY'), text: z.string().min(1) }),
  z.object({ type: z.literal('FOOTER'), text: z.string().min(1) }),
  z.object({
    type: z.literal('BUTTONS'),
    buttons: z
      .array(
        z.object({
          type: z.enum(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE']),
          text: z.string().min(1),
          url: z.string().optional(),
          phone_number: z.string().optional(),
        }),
      )
      .min(1)
      .max(10),
  }),
]);
export type TemplateComponent = z.output<typeof templateComponentSchema>;
export const templateComponentsSchema = z.array(templateComponentSchema).min(1);

export type ParameterFormat = 'POSITIONAL' | 'NAMED';

const placeholderPattern = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** Distinct placeholder names in order of first appearance. */
function namesIn(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(placeholderPattern)].map((match) => match[1]!))];
}

/** Positional placeholders are sent in numeric order whatever order the text uses them in. */
const ordered = (names: string[], format: ParameterFormat) =>
  format === 'POSITIONAL' ? [...names].sort((a, b) => Number(a) - Number(b)) : names;

export function placeholdersOf(components: TemplateComponent[], format: ParameterFormat = 'POSITIONAL'): string[] {
  const keys: string[] = [];
  for (const component of components) {
    if (component.type === 'HEADER') {
      if (component.format === 'TEXT')
        keys.push(...ordered(namesIn(component.text), format).map((name) => `header.${name}`));
      else if (component.format !== 'LOCATION') keys.push('header.media');
    } else if (component.type === 'BODY') {
      keys.push(...ordered(namesIn(component.text), format).map((name) => `body.${name}`));
    } else if (component.type === 'BUTTONS') {
      component.buttons.forEach((button, index) => {
        if (button.type === 'URL') keys.push(...namesIn(button.url).map((name) => `button.${index}.${name}`));
      });
    }
  }
  return keys;
}

/** The `template.components` of a Cloud API send request. */
export type SendComponent =
  | { type: 'header' | 'body'; parameters: SendParameter[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: SendParameter[] };

export type SendParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | { type: 'image'; image: { link: string } }
  | { type: 'video'; video: { link: string } }
  | { type: 'document'; document: { link: string } };

/**
 * Builds the send request's components from a template and the values resolved for one contact.
 * Throws when a value is missing: a message with an empty parameter is rejected by Meta (132000).
 */
export function buildSendComponents(
  components: TemplateComponent[],
  format: ParameterFormat,
  values: Readonly<Record<string, string>>,
): SendComponent[] {
  const valueOf = (key: string) => {
    const value = values[key];
    if (value === undefined || value === '') throw new Error(`no value for placeholder ${key}`);
    return value;
  };
  const textParameter = (prefix: string, name: string): SendParameter =>
    format === 'NAMED'
      ? { type: 'text', text: valueOf(`${prefix}.${name}`), parameter_name: name }
      : { type: 'text', text: valueOf(`${prefix}.${name}`) };

  const result: SendComponent[] = [];
  for (const component of components) {
    if (component.type === 'HEADER') {
      if (component.format === 'TEXT') {
        const names = ordered(namesIn(component.text), format);
        if (names.length > 0)
          result.push({ type: 'header', parameters: names.map((name) => textParameter('header', name)) });
      } else if (component.format === 'IMAGE') {
        result.push({ type: 'header', parameters: [{ type: 'image', image: { link: valueOf('header.media') } }] });
      } else if (component.format === 'VIDEO') {
        result.push({ type: 'header', parameters: [{ type: 'video', video: { link: valueOf('header.media') } }] });
      } else if (component.format === 'DOCUMENT') {
        result.push({
          type: 'header',
          parameters: [{ type: 'document', document: { link: valueOf('header.media') } }],
        });
      }
    } else if (component.type === 'BODY') {
      const names = ordered(namesIn(component.text), format);
      if (names.length > 0) result.push({ type: 'body', parameters: names.map((name) => textParameter('body', name)) });
    } else if (component.type === 'BUTTONS') {
      component.buttons.forEach((button, index) => {
        const names = button.type === 'URL' ? namesIn(button.url) : [];
        if (names.length > 0) {
          result.push({
            type: 'button',
            sub_type: 'url',
            index: String(index),
            parameters: names.map((name) => ({ type: 'text', text: valueOf(`button.${index}.${name}`) })),
          });
        }
      });
    }
  }
  return result;
}
