import { failedPrecondition } from '@ektola/platform/errors';
import type { TemplateCatalog, TemplateListing, TemplateSource } from './ports.ts';

/**
 * An admin pulls the business's templates from Meta: Meta's view wins for what Meta owns, the mapping
 * of placeholders to contact fields is kept, and templates EkTola cannot use are listed with why.
 */
export async function syncTemplates(deps: {
  templates: Pick<TemplateCatalog, 'upsertFromMeta'>;
  templateSource: TemplateSource | undefined;
}): Promise<{ created: number; updated: number; skipped: TemplateListing['skipped'] }> {
  if (!deps.templateSource) {
    throw failedPrecondition(
      'template sync needs WHATSAPP_BUSINESS_ACCOUNT_ID and WHATSAPP_ACCESS_TOKEN (or WHATSAPP_API_BASE_URL)',
      'sync_not_configured',
    );
  }
  const listing = await deps.templateSource.list();
  let created = 0;
  for (const template of listing.templates) {
    if ((await deps.templates.upsertFromMeta(template)) === 'created') created += 1;
  }
  return { created, updated: listing.templates.length - created, skipped: listing.skipped };
}
