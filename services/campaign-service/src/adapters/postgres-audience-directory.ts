import type { Sql } from '@ektola/platform/postgres';
import type { PendingQuery, Row } from 'postgres';
import type { ConditionTarget, Predicate, ResolvedAudience } from '../domain/audience.ts';
import type { AudienceContact } from '../domain/model.ts';
import type { AudienceDirectory } from '../domain/ports.ts';
import { toContact, type ContactRow } from './postgres-contact-store.ts';

type Fragment = PendingQuery<Row[]>;

const orderings: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', ne: '=' };

/**
 * Audiences as SQL over campaign.contacts (aliased c). Every value travels as a bound parameter;
 * only operators chosen from the fixed table above are written into the text. Equality on an
 * attribute is containment (`@>`), which the GIN index on attributes answers; numbers read through
 * campaign.attribute_number and times through campaign.attribute_times (filled when the attributes are
 * written, by campaign.attribute_time), which give null, never an error, for text that is not one. `ne` and `nin` are the negations of `eq` and `in`, so a contact without
 * the value matches them.
 */
export function audienceSql(sql: Sql) {
  const target = (of: ConditionTarget): Fragment => {
    if ('attribute' in of) return sql`(c.attributes ->> ${of.attribute})`;
    if (of.column === 'createdAt') return sql`c.created_at`;
    return sql`c.${sql(of.column)}`;
  };
  const negatedIf = (negate: boolean, fragment: Fragment) =>
    negate ? sql`not coalesce(${fragment}, false)` : fragment;
  const compare = (op: string, left: Fragment, right: Fragment) =>
    negatedIf(op === 'ne', sql`${left} ${sql.unsafe(orderings[op]!)} ${right}`);

  function predicate(condition: Predicate): Fragment {
    if (condition.kind === 'recipient-set')
      return sql`exists (select 1 from campaign.run_recipient_sets r where r.set_id = ${condition.setId} and r.contact_id = c.id)`;
    const of = condition.target;
    switch (condition.kind) {
      case 'exists': {
        const present =
          'column' in of && of.column === 'tags'
            ? sql`cardinality(c.tags) > 0`
            : sql`coalesce(${target(of)}, '') <> ''`;
        return condition.present ? present : sql`not (${present})`;
      }
      case 'text':
        if (condition.op === 'contains') return sql`strpos(lower(${target(of)}), lower(${condition.value})) > 0`;
        if ('attribute' in of)
          return negatedIf(
            condition.op === 'ne',
            sql`c.attributes @> ${sql.json({ [of.attribute]: condition.value })}`,
          );
        return compare(condition.op, target(of), sql`${condition.value}`);
      case 'text-set': {
        const values = sql`${condition.values}::text[]`;
        const matches =
          'column' in of && of.column === 'tags' ? sql`c.tags && ${values}` : sql`${target(of)} = any(${values})`;
        return negatedIf(condition.op === 'nin', matches);
      }
      case 'number':
        return compare(
          condition.op,
          sql`campaign.attribute_number(${target(of)})`,
          sql`${String(condition.value)}::numeric`,
        );
      case 'number-set':
        return negatedIf(
          condition.op === 'nin',
          sql`campaign.attribute_number(${target(of)}) = any(${condition.values.map(String)}::numeric[])`,
        );
      case 'time':
        // Attributes are compared as the epoch seconds their writer already parsed (migration 0007),
        // against the value's, computed once for the query (an InitPlan), not once per contact.
        if ('attribute' in of)
          return compare(
            condition.op,
            sql`(c.attribute_times ->> ${of.attribute})::numeric`,
            sql`(select extract(epoch from ${condition.value}::timestamptz))`,
          );
        return compare(condition.op, target(of), sql`${condition.value}::timestamptz`);
    }
  }

  const allOf = (fragments: Fragment[]) => fragments.reduce((all, fragment) => sql`${all} and ${fragment}`, sql`true`);

  return {
    /** The contacts the audience holds, opted out or not. */
    matches: (audience: ResolvedAudience) =>
      allOf([...audience.tagSets.map((tags) => sql`c.tags && ${tags}::text[]`), ...audience.predicates.map(predicate)]),
    /** True for a contact lacking a value for any of these fields (`name`, `attributes.<key>`). */
    missingAny: (fields: readonly string[]) =>
      fields
        .filter((field) => field !== 'phone')
        .map((field) =>
          field === 'name'
            ? sql`coalesce(btrim(c.name), '') = ''`
            : sql`coalesce(btrim(${target({ attribute: field.slice('attributes.'.length) })}), '') = ''`,
        )
        .reduce((any, fragment) => sql`${any} or ${fragment}`, sql`false`),
    /** The number starts with one of these calling codes (prefix-free, so it is in that country). */
    blocked: (codes: readonly string[]) =>
      codes.length === 0
        ? sql`false`
        : sql`exists (select 1 from unnest(${[...codes]}::text[]) b(code) where starts_with(c.phone, '+' || b.code))`,
    /** The longest of the codes a contact's number starts with, or null. */
    callingCode: (codes: readonly string[]) => {
      const lengths = [...new Set(codes.map((code) => code.length))].sort((a, b) => b - a);
      if (lengths.length === 0) return sql`null::text`;
      const byLength = lengths.map(
        (length) =>
          sql`case when substr(c.phone, 2, ${length}) = any(${[...codes]}::text[]) then substr(c.phone, 2, ${length}) end`,
      );
      return byLength.reduce((first, next) => sql`coalesce(${first}, ${next})`);
    },
  };
}

/** Audiences counted, sampled and paged in PostgreSQL, one bounded page at a time. */
export function createPostgresAudienceDirectory(sql: Sql): AudienceDirectory {
  const compile = audienceSql(sql);
  return {
    async measure(audience, selection) {
      const rows = await sql<
        Array<{ code: string | null; eligible: number; opted_out: number; missing: number; blocked: number }>
      >`
        select code,
          count(*) filter (where not opted_out and not missing and not blocked)::int as eligible,
          count(*) filter (where opted_out)::int as opted_out,
          count(*) filter (where not opted_out and missing)::int as missing,
          count(*) filter (where not opted_out and not missing and blocked)::int as blocked
        from (
          select c.opted_out, (${compile.missingAny(selection.requiredFields)}) as missing,
                 (${compile.blocked(selection.blockedCallingCodes)}) as blocked,
                 ${compile.callingCode(selection.callingCodes)} as code
          from campaign.contacts c
          where ${compile.matches(audience)}
        ) m
        group by code`;
      const eligibleByCallingCode = new Map<string, number>();
      for (const row of rows) eligibleByCallingCode.set(row.code ?? 'default', row.eligible);
      const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
      return {
        eligible: total((row) => row.eligible),
        optedOut: total((row) => row.opted_out),
        missingValue: total((row) => row.missing),
        regionBlocked: total((row) => row.blocked),
        eligibleByCallingCode,
      };
    },

    async eligiblePage(audience, selection, afterId, limit) {
      const rows = await sql<Array<{ id: string; code: string | null }>>`
        select c.id, ${compile.callingCode(selection.callingCodes)} as code from campaign.contacts c
        where not c.opted_out
          ${afterId ? sql`and c.id > ${afterId}` : sql``}
          and ${compile.matches(audience)}
          and not (${compile.missingAny(selection.requiredFields)})
          and not (${compile.blocked(selection.blockedCallingCodes)})
        order by c.id
        limit ${limit}`;
      return rows.map((row) => ({ id: row.id, callingCode: row.code ?? 'default' }));
    },

    async sample(audience, selection, limit) {
      const rows = await sql<ContactRow[]>`
        select c.* from campaign.contacts c
        where not c.opted_out and ${compile.matches(audience)} and not (${compile.missingAny(selection.requiredFields)})
        order by c.id
        limit ${limit}`;
      return rows.map(toContact);
    },

    /**
     * Only the columns a message needs: parsing every row's tags array and three timestamps was about
     * 40% of what a 100,000-contact stream left for the old generation's collector.
     */
    async page(audience, afterId, limit) {
      return sql<AudienceContact[]>`
        select c.id, c.phone, c.name, c.attributes from campaign.contacts c
        where not c.opted_out
          ${afterId ? sql`and c.id > ${afterId}` : sql``}
          and ${compile.matches(audience)}
        order by c.id
        limit ${limit}`;
    },
  };
}
