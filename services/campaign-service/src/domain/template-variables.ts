import type { ErrorDetail } from '@ektola/platform/errors';

/** `name`, `phone`, or `attributes.<key>` where the key is a CSV column or a JSON attribute name. */
export const contactFieldPattern = /^(name|phone|attributes\.[^\s].{0,99})$/;

export interface VariableMapping {
  field: string;
  default?: string | undefined;
}
export type VariableMappings = Record<string, VariableMapping>;

export interface ContactValues {
  phone: string;
  name: string | null;
  attributes: Record<string, unknown>;
}

/**
 * Every placeholder needs a field and no mapping may name a placeholder the components lack; an
 * optional key (a quick-reply payload, a document's filename) may be mapped or not. Paths are relative to the mapping.
 */
export function mappingProblems(
  placeholders: readonly string[],
  variables: VariableMappings,
  optional: readonly string[] = [],
): ErrorDetail[] {
  const known = new Set([...placeholders, ...optional]);
  const problems: ErrorDetail[] = [];
  for (const placeholder of placeholders) {
    if (!variables[placeholder])
      problems.push({ path: placeholder, message: `placeholder ${placeholder} has no contact field mapped` });
  }
  for (const key of Object.keys(variables)) {
    if (!known.has(key)) {
      problems.push({
        path: key,
        message: `the components have no placeholder ${key}; they have ${known.size > 0 ? [...known].join(', ') : 'none'}`,
      });
    }
  }
  return problems;
}

export const unmappedPlaceholders = (placeholders: readonly string[], variables: VariableMappings) =>
  placeholders.filter((placeholder) => !variables[placeholder]);

function fieldValue(field: string, contact: ContactValues): string | undefined {
  if (field === 'name') return contact.name ?? undefined;
  if (field === 'phone') return contact.phone;
  const value = contact.attributes[field.slice('attributes.'.length)];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export type Resolution = { ok: true; values: Record<string, string> } | { ok: false; missing: string[] };

/**
 * A contact's text for every placeholder: its field, else the mapping's default. A placeholder left
 * empty would make Meta reject the send (132000), so a contact missing one is reported, not resolved;
 * an optional key without a value is simply not sent.
 */
export function resolveVariables(
  variables: VariableMappings,
  contact: ContactValues,
  optional: readonly string[] = [],
): Resolution {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [placeholder, mapping] of Object.entries(variables)) {
    const value = fieldValue(mapping.field, contact)?.trim() || mapping.default;
    if (value === undefined || value === '') {
      if (!optional.includes(placeholder)) missing.push(placeholder);
    } else values[placeholder] = value;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, values };
}
