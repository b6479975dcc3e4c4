import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export interface ContactDraft {
  phone: string;
  name: string | null;
  /** null when the source says nothing about tags, so an update keeps the contact's tags. */
  tags: string[] | null;
  attributes: Record<string, string>;
}

/** E.164 for a number a person typed, read in the default region unless it carries its own country code. */
export function normalisePhone(raw: string, defaultCountry: CountryCode): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  return parsed?.isValid() ? parsed.number : undefined;
}

export const maxTagLength = 64;

/** `vip; gold;;vip` → `['vip', 'gold']`. */
export function parseTags(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(';')
        .map((tag) => tag.trim())
        .filter((tag) => tag.length > 0),
    ),
  ];
}

export interface CsvLayout {
  phone: number;
  name: number | undefined;
  tags: number | undefined;
  /** Every other column: its index and the attribute key it fills. */
  attributes: Array<{ index: number; key: string }>;
  width: number;
}

const reserved = new Set(['phone', 'name', 'tags']);

/** Reads the header row; a file without a phone column, or with a column named twice, cannot be imported at all. */
export function csvLayout(header: readonly string[]): { ok: true; layout: CsvLayout } | { ok: false; problem: string } {
  const names = header.map((column) => column.trim());
  const seen = new Set<string>();
  for (const name of names) {
    const key = reserved.has(name.toLowerCase()) ? name.toLowerCase() : name;
    if (!name) return { ok: false, problem: 'the header row has an empty column name' };
    if (name.includes('\u0000')) return { ok: false, problem: 'the header row contains a NUL character (U+0000)' };
    if (seen.has(key)) return { ok: false, problem: `the header row names ${name} twice` };
    seen.add(key);
  }
  const indexOf = (column: string) => {
    const index = names.findIndex((name) => name.toLowerCase() === column);
    return index === -1 ? undefined : index;
  };
  const phone = indexOf('phone');
  if (phone === undefined) return { ok: false, problem: 'the header row has no phone column' };
  return {
    ok: true,
    layout: {
      phone,
      name: indexOf('name'),
      tags: indexOf('tags'),
      attributes: names.flatMap((key, index) => (reserved.has(key.toLowerCase()) ? [] : [{ index, key }])),
      width: names.length,
    },
  };
}

export type RowResult = { ok: true; contact: ContactDraft } | { ok: false; reason: string };

/** One data row to a contact, or the reason the row cannot be one. Empty attribute cells set nothing. */
export function contactFromRow(layout: CsvLayout, row: readonly string[], defaultCountry: CountryCode): RowResult {
  if (row.length !== layout.width)
    return { ok: false, reason: `has ${row.length} fields; the header has ${layout.width}` };
  // PostgreSQL text cannot hold U+0000.
  if (row.some((cell) => cell.includes('\u0000'))) return { ok: false, reason: 'contains a NUL character (U+0000)' };
  const rawPhone = row[layout.phone]?.trim() ?? '';
  if (!rawPhone) return { ok: false, reason: 'phone is empty' };
  const phone = normalisePhone(rawPhone, defaultCountry);
  if (!phone) return { ok: false, reason: `phone ${rawPhone} is not a valid phone number` };
  const tags = layout.tags === undefined ? null : parseTags(row[layout.tags] ?? '');
  const longTag = tags?.find((tag) => tag.length > maxTagLength);
  if (longTag) return { ok: false, reason: `tag ${longTag.slice(0, 20)}… is longer than ${maxTagLength} characters` };
  const attributes: Record<string, string> = {};
  for (const { index, key } of layout.attributes) {
    const value = row[index]?.trim();
    if (value) attributes[key] = value;
  }
  const name = layout.name === undefined ? null : row[layout.name]?.trim() || null;
  return { ok: true, contact: { phone, name, tags, attributes } };
}

/**
 * Two rows for one phone in a file: the later one wins field by field, as if they were imported one
 * after the other (a name or tags column the later row leaves empty keeps the earlier value).
 */
export function mergeDrafts(earlier: ContactDraft, later: ContactDraft): ContactDraft {
  return {
    phone: later.phone,
    name: later.name ?? earlier.name,
    tags: later.tags ?? earlier.tags,
    attributes: { ...earlier.attributes, ...later.attributes },
  };
}
