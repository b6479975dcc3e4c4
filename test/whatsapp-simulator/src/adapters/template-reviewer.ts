import type { Clock } from '@ektola/platform/clock';
import type { Logger } from '@ektola/platform/logger';
import type { TemplateCatalog } from '../domain/template-catalog.ts';
import { templateStatusNotification } from '../domain/webhook-payloads.ts';
import type { WebhookSender } from './webhook-sender.ts';

export interface Verdict {
  verdict: 'APPROVED' | 'REJECTED';
  /** Meta's rejection reason, e.g. INVALID_FORMAT, TAG_CONTENT_MISMATCH, PROMOTIONAL, ABUSIVE_CONTENT. */
  reason?: string;
}

export interface TemplateReviewerOptions {
  /** The catalog as it is now (a reset replaces it). */
  catalog: () => TemplateCatalog;
  wabaId: string;
  webhooks: WebhookSender;
  reviewMs: () => number;
  clock: Clock;
  logger: Logger;
}

/**
 * Meta's review of submitted templates: after `reviewMs` a PENDING template becomes APPROVED, or
 * REJECTED when a verdict was set for its name, and `message_template_status_update` is posted.
 */
export class TemplateReviewer {
  readonly #verdicts = new Map<string, Verdict>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #options: TemplateReviewerOptions;

  constructor(options: TemplateReviewerOptions) {
    this.#options = options;
  }

  /** The verdict the next review of this name gets (every language). */
  preset(name: string, verdict: Verdict): void {
    this.#verdicts.set(name, verdict);
  }

  forget(name: string): boolean {
    return this.#verdicts.delete(name);
  }

  verdicts(): Record<string, Verdict> {
    return Object.fromEntries(this.#verdicts);
  }

  review(name: string, language: string): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#decide(name, language);
    }, this.#options.reviewMs());
    timer.unref();
    this.#timers.add(timer);
  }

  #decide(name: string, language: string) {
    const { catalog, webhooks, wabaId, clock, logger } = this.#options;
    const template = catalog().get(name, language);
    // Deleted or already decided by an admin call meanwhile: nothing left to review.
    if (!template || template.status !== 'PENDING') return;
    const verdict = this.#verdicts.get(name) ?? { verdict: 'APPROVED' };
    catalog().setStatus(name, language, verdict.verdict);
    logger.info({ name, language, verdict }, 'template reviewed');
    if (!webhooks.enabled) return;
    webhooks.sendNow(
      templateStatusNotification(wabaId, {
        event: verdict.verdict,
        templateId: template.id,
        name,
        language,
        category: template.category,
        timeSec: Math.floor(clock.now().getTime() / 1000),
        ...(verdict.verdict === 'REJECTED' ? { reason: verdict.reason ?? 'INVALID_FORMAT' } : {}),
      }),
    );
  }

  /** Pending reviews are dropped and verdicts forgotten, as on a fresh start. */
  reset(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#verdicts.clear();
  }
}
