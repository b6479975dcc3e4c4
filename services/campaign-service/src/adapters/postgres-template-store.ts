import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '@ektola/platform/errors';
import type { Sql } from '@ektola/platform/postgres';
import type { ParameterFormat, TemplateComponent } from '@ektola/platform/templates';
import { decodeCursor, pageOf } from '../domain/cursor.ts';
import type { Template, TemplateCategory, TemplateQualityScore, TemplateStatus } from '../domain/model.ts';
import type { TemplateCatalog } from '../domain/ports.ts';
import type { VariableMappings } from '../domain/template-variables.ts';

interface TemplateRow {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  parameter_format: ParameterFormat;
  components: TemplateComponent[];
  variables: VariableMappings;
  meta_template_id: string | null;
  rejected_reason: string | null;
  quality_score: TemplateQualityScore | null;
  created_at: Date;
  updated_at: Date;
}

const toTemplate = (row: TemplateRow): Template => ({
  id: row.id,
  name: row.name,
  language: row.language,
  category: row.category,
  status: row.status,
  parameterFormat: row.parameter_format,
  components: row.components,
  variables: row.variables,
  metaTemplateId: row.meta_template_id,
  rejectedReason: row.rejected_reason,
  qualityScore: row.quality_score,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
const nameTaken = (name: string, language: string) =>
  conflict(`a template ${name} in ${language} already exists`, 'template_exists');

export function createPostgresTemplateStore(sql: Sql): TemplateCatalog {
  return {
    async create(fields, meta) {
      try {
        const [row] = await sql<TemplateRow[]>`
          insert into campaign.templates (id, name, language, category, status, parameter_format, components, variables,
                                          meta_template_id)
          values (${randomUUID()}, ${fields.name}, ${fields.language}, ${fields.category}, ${fields.status}, ${fields.parameterFormat},
                  ${sql.json(fields.components as never)}, ${sql.json(fields.variables as never)}, ${meta?.metaTemplateId ?? null})
          returning *`;
        return toTemplate(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(fields.name, fields.language);
        throw error;
      }
    },

    async get(id) {
      const [row] = await sql<TemplateRow[]>`select * from campaign.templates where id = ${id}`;
      if (!row) throw notFound('template', id);
      return toTemplate(row);
    },

    async find(id) {
      const [row] = await sql<TemplateRow[]>`select * from campaign.templates where id = ${id}`;
      return row ? toTemplate(row) : undefined;
    },

    async list(query) {
      const position = decodeCursor(query.cursor, 2);
      const rows = await sql<TemplateRow[]>`
        select * from campaign.templates
        where true
          ${position ? sql`and (created_at, id) < (${position[0]!}::timestamptz, ${position[1]!}::uuid)` : sql``}
          ${query.status ? sql`and status = ${query.status}` : sql``}
        order by created_at desc, id desc
        limit ${query.limit + 1}`;
      return pageOf(rows.map(toTemplate), query.limit, (template) => [template.createdAt.toISOString(), template.id]);
    },

    async replace(id, fields) {
      try {
        const [row] = await sql<TemplateRow[]>`
          update campaign.templates set
            name = ${fields.name}, language = ${fields.language}, category = ${fields.category}, status = ${fields.status},
            parameter_format = ${fields.parameterFormat}, components = ${sql.json(fields.components as never)},
            variables = ${sql.json(fields.variables as never)}, updated_at = now()
          where id = ${id}
          returning *`;
        if (!row) throw notFound('template', id);
        return toTemplate(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(fields.name, fields.language);
        throw error;
      }
    },

    async delete(id) {
      try {
        const deleted = await sql`delete from campaign.templates where id = ${id}`;
        if (deleted.count === 0) throw notFound('template', id);
      } catch (error) {
        if ((error as { code?: string }).code === '23503')
          throw conflict('campaigns use this template; delete or re-point them first', 'template_in_use');
        throw error;
      }
    },

    /**
     * Meta's view wins for what Meta owns (status, category, components); the mapping to contact
     * fields is ours and is kept. Returns whether the template was new.
     */
    async upsertFromMeta(template) {
      const [row] = await sql<Array<{ inserted: boolean }>>`
        insert into campaign.templates as t (id, name, language, category, status, parameter_format, components, meta_template_id,
                                             quality_score, rejected_reason)
        values (${randomUUID()}, ${template.name}, ${template.language}, ${template.category}, ${template.status},
                ${template.parameterFormat}, ${sql.json(template.components as never)}, ${template.metaTemplateId},
                ${template.qualityScore ?? null}, ${template.rejectedReason ?? null})
        on conflict (name, language) do update set
          category = excluded.category, status = excluded.status, parameter_format = excluded.parameter_format,
          components = excluded.components, meta_template_id = excluded.meta_template_id,
          quality_score = coalesce(excluded.quality_score, t.quality_score), rejected_reason = excluded.rejected_reason,
          updated_at = now()
        returning (xmax = 0) as inserted`;
      return row?.inserted ? 'created' : 'updated';
    },

    /**
     * A status change Meta announced by webhook. The reason is kept while REJECTED (what to fix before
     * submitting again) and cleared by any other status.
     */
    async applyStatus(name, language, change) {
      const [row] = await sql<TemplateRow[]>`
        update campaign.templates set
          status = ${change.status},
          rejected_reason = ${change.status === 'REJECTED' ? change.reason : null},
          updated_at = now()
        where name = ${name} and language = ${language}
        returning *`;
      return row && toTemplate(row);
    },

    async applyMetaUpdate(name, language, update) {
      const [row] = await sql<TemplateRow[]>`
        update campaign.templates set
          quality_score = coalesce(${update.qualityScore ?? null}, quality_score),
          category = coalesce(${update.category ?? null}, category),
          updated_at = now()
        where name = ${name} and language = ${language}
        returning *`;
      return row && toTemplate(row);
    },

    async findByName(name, language) {
      const [row] = await sql<TemplateRow[]>`
        select * from campaign.templates where name = ${name} and language = ${language}`;
      return row && toTemplate(row);
    },
  };
}
