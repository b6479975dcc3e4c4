import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { templateCategories, type Template } from '../domain/template-catalog.ts';
import { templateCategoryNotification, templateQualityNotification } from '../domain/webhook-payloads.ts';
import { AdminError, type AdminContext } from './admin-routes.ts';

const verdict = z.object({ verdict: z.enum(['APPROVED', 'REJECTED']), reason: z.string().min(1).optional() }).strict();
const template = { name: z.string().min(1), language: z.string().min(2) };
const quality = z.object({ ...template, score: z.enum(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']) }).strict();
const category = z.object({ ...template, category: z.enum(templateCategories) }).strict();

/**
 * Templates beyond the seed: the verdict Meta's review gives a submitted name, and Meta's word on a
 * template's quality and category (`message_template_quality_update`, `template_category_update`).
 * Pausing, disabling and reinstating are `POST /_sim/template-status`.
 */
export function templateAdminRoutes(app: FastifyInstance, context: AdminContext): void {
  const { api, webhooks, reviewer, clock } = context;
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  const templateOf = (name: string, language: string): Template => {
    const found = api.catalog.get(name, language);
    if (!found) throw new AdminError(404, `no template ${name} in ${language}`);
    return found;
  };
  const notify = (payload: unknown) => {
    if (webhooks.enabled) webhooks.sendNow(payload);
    return { payload, delivered: webhooks.enabled };
  };

  app.get('/_sim/template-verdicts', async () => ({ verdicts: reviewer.verdicts() }));

  app.put<{ Params: { name: string } }>('/_sim/template-verdicts/:name', async (request) => {
    const input = verdict.parse(request.body ?? {});
    reviewer.preset(request.params.name, input);
    return { name: request.params.name, ...input };
  });

  app.delete<{ Params: { name: string } }>('/_sim/template-verdicts/:name', async (request, reply) => {
    if (!reviewer.forget(request.params.name)) throw new AdminError(404, `no verdict set for ${request.params.name}`);
    return reply.code(204).send();
  });

  app.post('/_sim/template-quality', async (request) => {
    const input = quality.parse(request.body ?? {});
    const before = templateOf(input.name, input.language);
    api.catalog.update(input.name, input.language, { quality: input.score });
    return notify(
      templateQualityNotification(api.wabaId, {
        templateId: before.id,
        name: before.name,
        language: before.language,
        previous: before.quality ?? 'UNKNOWN',
        next: input.score,
        timeSec: nowSec(),
      }),
    );
  });

  app.post('/_sim/template-category', async (request) => {
    const input = category.parse(request.body ?? {});
    const before = templateOf(input.name, input.language);
    api.catalog.update(input.name, input.language, { category: input.category });
    return notify(
      templateCategoryNotification(api.wabaId, {
        templateId: before.id,
        name: before.name,
        language: before.language,
        previous: before.category,
        next: input.category,
        timeSec: nowSec(),
      }),
    );
  });
}
