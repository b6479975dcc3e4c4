/** A template's components as the API answers them (Meta's shape). */
export type Component =
  | { type: 'HEADER'; format: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION'; text?: string | undefined }
  // An authentication body, its footer and its OTP or copy-code buttons carry no text: Meta writes it.
  | { type: 'BODY'; text?: string | undefined }
  | { type: 'FOOTER'; text?: string | undefined }
  | {
      type: 'BUTTONS';
      buttons: Array<{
        type: string;
        text?: string | undefined;
        url?: string | undefined;
        phone_number?: string | undefined;
      }>;
    };

export type Mapping = Record<string, { field: string; default?: string | undefined }>;

export interface SampleContact {
  name: string | null;
  phone: string;
  attributes: Record<string, unknown>;
}

/** One run of text in the bubble: literal text, or a placeholder's value (or a gap where none is set). */
export type Segment = { text: string } | { key: string; value: string | null };

export interface Bubble {
  header: Segment[] | { media: string } | null;
  body: Segment[];
  footer: string | null;
  buttons: Array<{ text: string; kind: string }>;
  /** Placeholders with neither a field value nor a default: the message could not be sent to this contact. */
  missing: string[];
}

/** The value a mapped contact field gives, as the dispatcher reads it: name, phone or attributes.<key>. */
export function fieldValue(contact: SampleContact, field: string): string | null {
  if (field === 'name') return contact.name;
  if (field === 'phone') return contact.phone;
  if (field.startsWith('attributes.')) {
    const value = contact.attributes[field.slice('attributes.'.length)];
    return value === undefined || value === null || value === '' ? null : String(value);
  }
  return null;
}

const placeholder = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

function segmentsOf(text: string, component: 'header' | 'body', resolve: (key: string) => string | null): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    const key = `${component}.${match[1]}`;
    segments.push({ key, value: resolve(key) });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/**
 * The message a contact would receive: each placeholder filled from its mapped field, else its
 * default; those with neither are listed as missing (the audience preview counts such contacts out).
 */
export function previewBubble(components: Component[], mapping: Mapping, contact: SampleContact): Bubble {
  const missing: string[] = [];
  const resolve = (key: string) => {
    const rule = mapping[key];
    const value = (rule && fieldValue(contact, rule.field)) || rule?.default || null;
    if (value === null && !missing.includes(key)) missing.push(key);
    return value;
  };
  const bubble: Bubble = { header: null, body: [], footer: null, buttons: [], missing };
  for (const component of components) {
    if (component.type === 'HEADER') {
      bubble.header =
        component.format === 'TEXT'
          ? segmentsOf(component.text ?? '', 'header', resolve)
          : { media: component.format === 'LOCATION' ? 'LOCATION' : (resolve('header.media') ?? component.format) };
    } else if (component.type === 'BODY') bubble.body = segmentsOf(component.text ?? '', 'body', resolve);
    else if (component.type === 'FOOTER') bubble.footer = component.text ?? null;
    else bubble.buttons = component.buttons.map((button) => ({ text: button.text ?? button.type, kind: button.type }));
  }
  return bubble;
}

/** The contact fields a placeholder can be mapped to, given the attribute keys seen on contacts. */
export const mappableFields = (attributeKeys: readonly string[]) => [
  'name',
  'phone',
  ...attributeKeys.map((key) => `attributes.${key}`),
];
