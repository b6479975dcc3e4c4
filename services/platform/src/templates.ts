import { z } from 'zod';

/**
 * Meta template components as an approved template defines them, and the placeholder keys EkTola
 * maps to contact fields. Placeholders are numbered per component in Meta (a header {{1}} and a body
 * {{1}} are different values), so a key names its component:
 *
 * - `header.1`, `header.first_name`: a TEXT header's placeholders (positional or named);
 * - `header.media`: the link of an IMAGE, VIDEO or DOCUMENT header; `header.media.filename` (optional)
 *   the file name a DOCUMENT is shown with;
 * - `header.location.latitude`, `header.location.longitude`, `header.location.name` and
 *   `header.location.address`: a LOCATION header, whose place Meta takes (all four) at send time only;
 * - `body.1`, `body.first_name`: the body's placeholders; an AUTHENTICATION body (Meta's fixed text)
 *   has one, `body.1`, the one-time code, which its OTP button repeats;
 * - `button.N.1`: the variable suffix of the URL button at index N;
 * - `button.N.coupon_code`: the code a COPY_CODE button copies (required);
 * - `button.N.payload` (optional): what a QUICK_REPLY button answers with; unmapped, Meta answers with
 *   the button's text.
 *
 * Names Meta allows in a placeholder are lowercase letters, digits and `_`, so the dotted keys above
 * never collide with a named placeholder. Objects are loose: Meta's other fields (`example`, OTP
 * settings) are kept as they came.
 */
const headerSchema = z.looseObject({
  type: z.literal('HEADER'),
  format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']),
  text: z.string().optional(),
  example: z.unknown().optional(),
});

const bodySchema = z
  .looseObject({
    type: z.literal('BODY'),
    /** Absent only for an AUTHENTICATION body (one with `add_security_recommendation`), whose text Meta writes. */
    text: z.string().min(1).optional(),
    example: z.unknown().optional(),
    add_security_recommendation: z.boolean().optional(),
  })
  .refine((body) => body.text !== undefined || body.add_security_recommendation !== undefined, {
    path: ['text'],
    message: 'a body needs text, unless it is an authentication body with add_security_recommendation',
  });

const footerSchema = z.looseObject({
  type: z.literal('FOOTER'),
  text: z.string().min(1).optional(),
  code_expiration_minutes: z.number().int().min(1).max(90).optional(),
});

export const buttonTypes = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP'] as const;

const buttonSchema = z.looseObject({
  type: z.enum(buttonTypes),
  /** Meta writes the text of COPY_CODE and OTP buttons itself. */
  text: z.string().min(1).optional(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  /** COPY_CODE: an example code; URL: an example of the full URL. */
  example: z.union([z.string(), z.array(z.string())]).optional(),
  /** OTP buttons: COPY_CODE, ONE_TAP or ZERO_TAP. */
  otp_type: z.string().optional(),
});

export const templateComponentSchema = z.discriminatedUnion('type', [
  headerSchema,
  bodySchema,
  footerSchema,
  z.looseObject({ type: z.literal('BUTTONS'), buttons: z.array(buttonSchema).min(1).max(10) }),
]);
export type TemplateComponent = z.output<typeof templateComponentSchema>;
export type TemplateButton = z.output<typeof buttonSchema>;
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

/** A text's placeholder names in the order Meta takes their values. */
export const placeholderNames = (text: string | undefined, format: ParameterFormat) => ordered(namesIn(text), format);

/** The text with each placeholder replaced by its value (an example URL for Meta's review, say). */
export const fillPlaceholders = (text: string, valueOf: (name: string) => string) =>
  text.replace(placeholderPattern, (_, name: string) => valueOf(name));

/** Meta's fixed authentication text carries one placeholder: the code. */
const bodyNames = (body: z.output<typeof bodySchema>, format: ParameterFormat) =>
  body.text === undefined ? ['1'] : ordered(namesIn(body.text), format);

export const locationKeys = {
  latitude: 'header.location.latitude',
  longitude: 'header.location.longitude',
  name: 'header.location.name',
  address: 'header.location.address',
} as const;
export const mediaKey = 'header.media';
export const documentFilenameKey = 'header.media.filename';

/** The keys a send cannot go without, in the order Meta takes their values. */
export function placeholdersOf(components: TemplateComponent[], format: ParameterFormat = 'POSITIONAL'): string[] {
  const keys: string[] = [];
  for (const component of components) {
    if (component.type === 'HEADER') {
      if (component.format === 'TEXT')
        keys.push(...ordered(namesIn(component.text), format).map((name) => `header.${name}`));
      else if (component.format === 'LOCATION') keys.push(...Object.values(locationKeys));
      else keys.push(mediaKey);
    } else if (component.type === 'BODY') {
      keys.push(...bodyNames(component, format).map((name) => `body.${name}`));
    } else if (component.type === 'BUTTONS') {
      component.buttons.forEach((button, index) => {
        if (button.type === 'URL') keys.push(...namesIn(button.url).map((name) => `button.${index}.${name}`));
        else if (button.type === 'COPY_CODE') keys.push(`button.${index}.coupon_code`);
      });
    }
  }
  return keys;
}

/** Keys a template may map but can be sent without: sent when a value is there, left out when not. */
export function optionalPlaceholdersOf(components: TemplateComponent[]): string[] {
  const keys: string[] = [];
  for (const component of components) {
    if (component.type === 'HEADER' && component.format === 'DOCUMENT') keys.push(documentFilenameKey);
    else if (component.type === 'BUTTONS') {
      component.buttons.forEach((button, index) => {
        if (button.type === 'QUICK_REPLY') keys.push(`button.${index}.payload`);
      });
    }
  }
  return keys;
}

export interface SendLocation {
  latitude: number;
  longitude: number;
  name: string;
  address: string;
}

/** The `template.components` of a Cloud API send request. */
export type SendComponent =
  | { type: 'header' | 'body'; parameters: SendParameter[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: SendParameter[] }
  | { type: 'button'; sub_type: 'quick_reply'; index: string; parameters: Array<{ type: 'payload'; payload: string }> }
  | {
      type: 'button';
      sub_type: 'copy_code';
      index: string;
      parameters: Array<{ type: 'coupon_code'; coupon_code: string }>;
    };

export type SendParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | { type: 'image'; image: { link: string } }
  | { type: 'video'; video: { link: string } }
  | { type: 'document'; document: { link: string; filename?: string } }
  | { type: 'location'; location: SendLocation };

/** A value that must be there: a message with an empty parameter is rejected by Meta (132000). */
function valueReader(values: Readonly<Record<string, string>>) {
  const required = (key: string) => {
    const value = values[key];
    if (value === undefined || value === '') throw new Error(`no value for placeholder ${key}`);
    return value;
  };
  const optional = (key: string) => (values[key] === '' ? undefined : values[key]);
  const coordinate = (key: string, limit: number) => {
    const value = Number(required(key));
    if (!Number.isFinite(value) || Math.abs(value) > limit)
      throw new Error(`placeholder ${key} is not a coordinate between -${limit} and ${limit}`);
    return value;
  };
  return { required, optional, coordinate };
}

function headerParameter(
  header: z.output<typeof headerSchema>,
  read: ReturnType<typeof valueReader>,
): SendParameter | undefined {
  switch (header.format) {
    case 'IMAGE':
      return { type: 'image', image: { link: read.required(mediaKey) } };
    case 'VIDEO':
      return { type: 'video', video: { link: read.required(mediaKey) } };
    case 'DOCUMENT': {
      const filename = read.optional(documentFilenameKey);
      return { type: 'document', document: { link: read.required(mediaKey), ...(filename ? { filename } : {}) } };
    }
    case 'LOCATION':
      return {
        type: 'location',
        location: {
          latitude: read.coordinate(locationKeys.latitude, 90),
          longitude: read.coordinate(locationKeys.longitude, 180),
          name: read.required(locationKeys.name),
          address: read.required(locationKeys.address),
        },
      };
    default:
      return undefined;
  }
}

function buttonComponent(
  button: TemplateButton,
  index: number,
  read: ReturnType<typeof valueReader>,
  otpCode: () => string,
): SendComponent | undefined {
  const at = String(index);
  switch (button.type) {
    case 'URL': {
      const names = namesIn(button.url);
      if (names.length === 0) return undefined;
      return {
        type: 'button',
        sub_type: 'url',
        index: at,
        parameters: names.map((name) => ({ type: 'text', text: read.required(`button.${index}.${name}`) })),
      };
    }
    case 'QUICK_REPLY': {
      const payload = read.optional(`button.${index}.payload`);
      return payload === undefined
        ? undefined
        : { type: 'button', sub_type: 'quick_reply', index: at, parameters: [{ type: 'payload', payload }] };
    }
    case 'COPY_CODE':
      return {
        type: 'button',
        sub_type: 'copy_code',
        index: at,
        parameters: [{ type: 'coupon_code', coupon_code: read.required(`button.${index}.coupon_code`) }],
      };
    case 'OTP':
      // Meta sends every one-time-password button (copy code, one tap, zero tap) as a URL button with the code.
      return { type: 'button', sub_type: 'url', index: at, parameters: [{ type: 'text', text: otpCode() }] };
    default:
      return undefined;
  }
}

/** Builds one contact's send components from the values resolved for it (see sendComponentsBuilder). */
export type SendComponentsBuilder = (values: Readonly<Record<string, string>>) => SendComponent[];

/**
 * Reads a template's placeholders once and answers a builder of the send request's components for one
 * contact at a time, so a run's fan-out does not scan and sort the same texts for every message. The
 * builder throws when a required value is missing or unusable, as Meta would reject the message.
 */
export function sendComponentsBuilder(components: TemplateComponent[], format: ParameterFormat): SendComponentsBuilder {
  const plan = components.map((component) => ({
    component,
    names:
      component.type === 'HEADER' && component.format === 'TEXT'
        ? ordered(namesIn(component.text), format)
        : component.type === 'BODY'
          ? bodyNames(component, format)
          : [],
  }));
  return (values) => {
    const read = valueReader(values);
    const textParameter = (prefix: string, name: string): SendParameter =>
      format === 'NAMED'
        ? { type: 'text', text: read.required(`${prefix}.${name}`), parameter_name: name }
        : { type: 'text', text: read.required(`${prefix}.${name}`) };

    const result: SendComponent[] = [];
    for (const { component, names } of plan) {
      if (component.type === 'HEADER') {
        const parameters = names.map((name) => textParameter('header', name));
        const media = headerParameter(component, read);
        if (media) parameters.push(media);
        if (parameters.length > 0) result.push({ type: 'header', parameters });
      } else if (component.type === 'BODY') {
        if (names.length > 0)
          result.push({
            type: 'body',
            parameters: names.map((name) =>
              component.text === undefined
                ? { type: 'text', text: read.required('body.1') }
                : textParameter('body', name),
            ),
          });
      } else if (component.type === 'BUTTONS') {
        component.buttons.forEach((button, index) => {
          const built = buttonComponent(button, index, read, () => read.required('body.1'));
          if (built) result.push(built);
        });
      }
    }
    return result;
  };
}
