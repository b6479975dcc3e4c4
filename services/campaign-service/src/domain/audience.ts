import { invalid, type ErrorDetail } from '@ektola/platform/errors';

export const conditionOps = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'exists', 'contains'] as const;
export type ConditionOp = (typeof conditionOps)[number];

/** A condition as an operator writes it; `audienceProblems` says whether it makes sense. */
export interface Condition {
  field: string;
  op: string;
  value?: unknown;
}

export const outcomeStatuses = ['SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED'] as const;

/** The contacts whose message in a run ended in one of these statuses (and codes, when given). */
export interface RunOutcomeFilter {
  runId: string;
  statuses: Array<(typeof outcomeStatuses)[number]>;
  errorCodes: number[];
  /** Only the contacts who replied to their message (true) or did not (false), on top of the statuses. */
  replied?: boolean | undefined;
}

/** Who a campaign, a segment or a preview addresses: every part given must hold (AND). */
export interface Audience {
  /** Any of these tags; none means no restriction. */
  tags: string[];
  where: Condition[];
  segmentId?: string | undefined;
  fromRun?: RunOutcomeFilter | undefined;
}

/** What a condition reads: a column of the contact, its tags, or one attribute. */
export type ConditionTarget = { column: 'name' | 'phone' | 'tags' | 'createdAt' } | { attribute: string };

/**
 * A condition checked and typed, ready for a store to translate: `number` and `time` compare by
 * value (an attribute that does not read as one never matches), `text` compares strings.
 */
export type Predicate =
  | { kind: 'exists'; target: ConditionTarget; present: boolean }
  | { kind: 'text'; target: ConditionTarget; op: 'eq' | 'ne' | 'contains'; value: string }
  | { kind: 'text-set'; target: ConditionTarget; op: 'in' | 'nin'; values: string[] }
  | { kind: 'number'; target: ConditionTarget; op: ConditionOp; value: number }
  | { kind: 'number-set'; target: ConditionTarget; op: 'in' | 'nin'; values: number[] }
  | { kind: 'time'; target: ConditionTarget; op: ConditionOp; value: Date }
  /** The contacts staged under this set: a run's recipients, read from the dispatcher. */
  | { kind: 'recipient-set'; setId: string };

/** An audience with its segments resolved into it: every tag set and predicate must hold. */
export interface ResolvedAudience {
  /** Each entry: the contact carries any of these tags. */
  tagSets: string[][];
  predicates: Predicate[];
  /** Runs whose recipients must be staged before the predicates can be evaluated. */
  fromRuns: RunOutcomeFilter[];
}

const fieldPattern = /^(name|phone|tags|createdAt|attributes\.[^\s].{0,99})$/;
/** An ISO 8601 date-time with an offset, as the API takes times everywhere. */
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const comparisons = new Set<string>(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']);
const maxSetSize = 1_000;
const maxTextLength = 1_000;

const targetOf = (field: string): ConditionTarget =>
  field.startsWith('attributes.')
    ? { attribute: field.slice('attributes.'.length) }
    : { column: field as 'name' | 'phone' | 'tags' | 'createdAt' };

const asTime = (value: unknown) =>
  typeof value === 'string' && dateTimePattern.test(value) && !Number.isNaN(Date.parse(value))
    ? new Date(value)
    : undefined;

type Checked = { predicate: Predicate } | { problem: ErrorDetail };
const problem = (path: string, message: string): Checked => ({ problem: { path, message } });

function checkSet(target: ConditionTarget, op: 'in' | 'nin', value: unknown, numeric: boolean): Checked {
  const isText = (item: unknown) => typeof item === 'string' && item.length <= maxTextLength;
  if (!Array.isArray(value) || value.length === 0 || value.length > maxSetSize)
    return problem('value', `${op} takes a list of 1 to ${maxSetSize} values`);
  if (value.every(isText)) return { predicate: { kind: 'text-set', target, op, values: value as string[] } };
  if (numeric && value.every((item) => typeof item === 'number' && Number.isFinite(item)))
    return { predicate: { kind: 'number-set', target, op, values: value as number[] } };
  return problem('value', numeric ? 'the list must hold only strings or only numbers' : 'the list must hold strings');
}

function checkComparison(target: ConditionTarget, op: ConditionOp, value: unknown, field: string): Checked {
  const ordered = op !== 'eq' && op !== 'ne';
  if ('column' in target && target.column === 'createdAt') {
    const time = asTime(value);
    return time ? { predicate: { kind: 'time', target, op, value: time } } : problem('value', 'must be a date-time');
  }
  if (typeof value === 'number' && Number.isFinite(value) && 'attribute' in target)
    return { predicate: { kind: 'number', target, op, value } };
  const time = 'attribute' in target ? asTime(value) : undefined;
  if (time) return { predicate: { kind: 'time', target, op, value: time } };
  if (ordered)
    return problem('value', `${op} on ${field} compares a number or a date-time (${field} holds text otherwise)`);
  if (typeof value === 'string' && value.length <= maxTextLength)
    return { predicate: { kind: 'text', target, op: op as 'eq' | 'ne', value } };
  return problem('value', `must be a string${'attribute' in target ? ', a number or a date-time' : ''}`);
}

/** One condition typed, or what is wrong with it (the path relative to the condition). */
export function checkCondition(condition: Condition): Checked {
  const { field, op, value } = condition;
  if (typeof field !== 'string' || !fieldPattern.test(field))
    return problem('field', 'must be name, phone, tags, createdAt or attributes.<key>');
  if (typeof op !== 'string' || !(conditionOps as readonly string[]).includes(op))
    return problem('op', `must be one of ${conditionOps.join(', ')}`);
  const target = targetOf(field);
  const column = 'column' in target ? target.column : undefined;
  if (op === 'exists') {
    if (column === 'phone' || column === 'createdAt') return problem('op', `every contact has ${field}`);
    return value === undefined || typeof value === 'boolean'
      ? { predicate: { kind: 'exists', target, present: value ?? true } }
      : problem('value', 'exists takes true, false or no value');
  }
  if (column === 'tags') {
    if (op === 'contains')
      return typeof value === 'string' && value.length <= maxTextLength
        ? { predicate: { kind: 'text-set', target, op: 'in', values: [value] } }
        : problem('value', 'must be a tag');
    if (op === 'in' || op === 'nin') return checkSet(target, op, value, false);
    return problem('op', 'tags take contains, in, nin or exists');
  }
  if (op === 'in' || op === 'nin') {
    if (column === 'createdAt') return problem('op', 'createdAt takes eq, ne, gt, gte, lt or lte');
    return checkSet(target, op, value, column === undefined);
  }
  if (op === 'contains') {
    if (column === 'createdAt') return problem('op', 'createdAt takes eq, ne, gt, gte, lt or lte');
    return typeof value === 'string' && value.length > 0 && value.length <= maxTextLength
      ? { predicate: { kind: 'text', target, op: 'contains', value } }
      : problem('value', 'contains takes a non-empty string');
  }
  if (comparisons.has(op)) return checkComparison(target, op as ConditionOp, value, field);
  return problem('op', `must be one of ${conditionOps.join(', ')}`);
}

/** Every problem of an audience's conditions, with paths under `prefix` (for example `body.audience`). */
export function audienceProblems(audience: Pick<Audience, 'where'>, prefix: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  audience.where.forEach((condition, index) => {
    const checked = checkCondition(condition);
    if ('problem' in checked)
      problems.push({
        path: `${prefix}.where[${index}].${checked.problem.path}`,
        message: checked.problem.message,
      });
  });
  return problems;
}

export function assertValidAudience(audience: Pick<Audience, 'where'>, prefix: string) {
  const problems = audienceProblems(audience, prefix);
  if (problems.length > 0) throw invalid('the audience is invalid', problems);
}

/** The predicates of conditions already checked; a condition that fails the check is a programming error. */
export function predicatesOf(where: readonly Condition[]): Predicate[] {
  return where.map((condition) => {
    const checked = checkCondition(condition);
    if ('problem' in checked) throw invalid(`a stored condition is invalid: ${checked.problem.message}`);
    return checked.predicate;
  });
}
