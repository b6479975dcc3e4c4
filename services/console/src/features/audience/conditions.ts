/** One attribute condition of an audience, as the API's `where` list takes it. */
export interface Condition {
  field: string;
  op: string;
  value?: unknown;
}

/** A condition as the editor holds it: the value is the text the operator typed. */
export interface DraftCondition {
  field: string;
  op: Op;
  text: string;
}

export const ops = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'exists', 'contains'] as const;
export type Op = (typeof ops)[number];

export const opLabels: Record<Op, string> = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  nin: 'is none of',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  exists: 'is set',
  contains: 'contains',
};

const fixedFields = ['name', 'phone', 'tags', 'createdAt'];
const numeric = /^-?\d+(\.\d+)?$/;

/** Whether a field is one the API filters on: name, phone, tags, createdAt or attributes.<key>. */
export function validField(field: string): boolean {
  return fixedFields.includes(field) || /^attributes\.[A-Za-z0-9_]+$/.test(field);
}

/** One typed value: numbers as numbers for attributes (so they compare numerically), the rest as text. */
function typed(field: string, text: string): string | number {
  const trimmed = text.trim();
  return field.startsWith('attributes.') && numeric.test(trimmed) ? Number(trimmed) : trimmed;
}

/**
 * The API's condition for what the operator typed, or the problem with it: `in`/`nin` take a
 * comma-separated list, `exists` takes yes/no (true/false), a number typed for an attribute is sent as
 * a number, createdAt takes a date.
 */
export function toCondition(
  draft: DraftCondition,
): { ok: true; condition: Condition } | { ok: false; problem: string } {
  const field = draft.field.trim();
  if (!validField(field))
    return { ok: false, problem: `“${field}” is not name, phone, tags, createdAt or attributes.<key>` };
  const text = draft.text.trim();
  if (draft.op === 'exists') {
    if (!/^(true|false|yes|no)$/i.test(text)) return { ok: false, problem: 'Is set takes yes or no' };
    return { ok: true, condition: { field, op: 'exists', value: /^(true|yes)$/i.test(text) } };
  }
  if (draft.op === 'in' || draft.op === 'nin') {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length === 0) return { ok: false, problem: 'Give at least one value, separated by commas' };
    return { ok: true, condition: { field, op: draft.op, value: items.map((item) => typed(field, item)) } };
  }
  if (text === '') return { ok: false, problem: 'Give a value' };
  if (field === 'createdAt') {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return { ok: false, problem: 'createdAt takes a date such as 2026-03-01' };
    return { ok: true, condition: { field, op: draft.op, value: date.toISOString() } };
  }
  return { ok: true, condition: { field, op: draft.op, value: typed(field, text) } };
}

/** The conditions ready to send (those complete and valid) and the problems of the others, by row. */
export function toWhere(drafts: DraftCondition[]): { where: Condition[]; problems: (string | null)[] } {
  const results = drafts.map(toCondition);
  return {
    where: results.flatMap((result) => (result.ok ? [result.condition] : [])),
    problems: results.map((result) => (result.ok ? null : result.problem)),
  };
}

/** A saved condition back into the editor's text, so editing a campaign shows what it has. */
export function toDraft(condition: Condition): DraftCondition {
  const op = (ops as readonly string[]).includes(condition.op) ? (condition.op as Op) : 'eq';
  const { value } = condition;
  const text = Array.isArray(value)
    ? value.map(String).join(', ')
    : typeof value === 'boolean'
      ? value
        ? 'yes'
        : 'no'
      : value === undefined || value === null
        ? ''
        : String(value);
  return { field: condition.field, op, text };
}
