import type { Clock } from '@ektola/platform/clock';
import type { WebhookSender } from './adapters/webhook-sender.ts';
import { conversationOf } from './domain/conversation.ts';
import { decideFault, FaultBook } from './domain/fault-plan.ts';
import { newWamid } from './domain/ids.ts';
import { dayMs, MessagingTier } from './domain/messaging-tier.ts';
import { fbtraceId, metaError, type MetaError, type MetaErrorBody } from './domain/meta-errors.ts';
import { PairRateLimit } from './domain/pair-rate-limit.ts';
import { SlidingWindowLimiter } from './domain/rate-window.ts';
import { messageKeyOf, parseSendRequest, type SendRequest } from './domain/send-request.ts';
import { SendStats } from './domain/send-stats.ts';
import { SentLog } from './domain/sent-log.ts';
import { planStatuses } from './domain/status-plan.ts';
import { TemplateCatalog, type Template, type TemplateListQuery } from './domain/template-catalog.ts';
import { checkTemplateParameters } from './domain/template-parameters.ts';
import { duplicateTemplate, readSubmission } from './domain/template-submission.ts';
import { describePhoneNumber, type PhoneNumber } from './domain/phone-numbers.ts';
import type { Settings } from './settings.ts';

/** What an admin may change of a number; `blockedWith: undefined` lets it send again. */
export type NumberChange = Partial<Omit<PhoneNumber, 'phoneNumberId' | 'wabaId' | 'blockedWith' | 'blockedUntilMs'>> & {
  blockedWith?: number | undefined;
  blockedUntilMs?: number | undefined;
};

export type Reply = { kind: 'reply'; status: number; body: unknown; delayMs: number; code?: number };
export type SendOutcome = Reply | { kind: 'hang' } | { kind: 'refuse' };

export interface Recipient {
  /**
   * Accepted messages to this user fail with this code, delivered as a `failed` status, `times` in a
   * row (null: until cleared).
   */
  failWith?: { code: number; times: number | null };
  /**
   * Sends to this user are refused on the call with this code (e.g. 131049, the per-user marketing limit),
   * `times` times in a row (null: until cleared); the template and request are checked first.
   */
  rejectWith?: { code: number; times: number | null };
  marketingStopped?: boolean;
  lastInboundMs?: number;
}

export interface CloudApiOptions {
  accessToken: string;
  wabaId: string;
  /** As the simulator starts; each reset returns to these. */
  numbers: () => PhoneNumber[];
  templates: () => Template[];
  settings: Settings;
  clock: Clock;
  random: () => number;
  webhooks: WebhookSender;
  /** Starts Meta's review of a template just submitted. */
  review: (template: Template) => void;
}

export interface LastMessage {
  id: string;
  template?: Extract<SendRequest, { type: 'template' }>['template'];
}

/** How many recent recipients remember their last message, for button taps that answer it. */
const lastMessageMemory = 100_000;

/**
 * Meta's Cloud API as far as EkTola uses it: the checks a send goes through, in the order Meta
 * applies them (infrastructure faults, token, phone number, request, template, parameters, then the
 * throughput, pair and messaging limits), and what an accepted message then does (status webhooks).
 */
export class CloudApi {
  readonly faults = new FaultBook();
  catalog: TemplateCatalog;
  #settings: Settings;
  readonly #options: CloudApiOptions;
  #numbers: Map<string, PhoneNumber>;
  #throughput = new Map<string, SlidingWindowLimiter>();
  #pairs: PairRateLimit;
  #tier: MessagingTier;
  #recipients = new Map<string, Recipient>();
  #lastMessageTo = new Map<string, LastMessage>();
  #startedAt: Date;
  #stats = new SendStats();
  /** What each accepted message carried, newest last; bounded. */
  readonly sent = new SentLog();

  constructor(options: CloudApiOptions) {
    this.#options = options;
    this.#numbers = new Map(options.numbers().map((number) => [number.phoneNumberId, number]));
    this.catalog = new TemplateCatalog(options.templates());
    this.#settings = options.settings;
    this.#pairs = new PairRateLimit({
      intervalMs: options.settings.limits.pairIntervalMs,
      burst: options.settings.limits.pairBurst,
    });
    this.#tier = new MessagingTier(options.settings.limits.tierLimit);
    this.#startedAt = options.clock.now();
  }

  get settings(): Settings {
    return this.#settings;
  }

  get wabaId(): string {
    return this.#options.wabaId;
  }

  get stats(): SendStats {
    return this.#stats;
  }

  get startedAt(): Date {
    return this.#startedAt;
  }

  /** Every number as it is now (restrictions past their expiration lifted). */
  get numbers(): PhoneNumber[] {
    const nowMs = this.#options.clock.now().getTime();
    return [...this.#numbers.values()].map((number) => this.#liftExpired(number, nowMs)!);
  }

  number(phoneNumberId?: string): PhoneNumber | undefined {
    const number = phoneNumberId === undefined ? this.#numbers.values().next().value : this.#numbers.get(phoneNumberId);
    return this.#liftExpired(number, this.#options.clock.now().getTime());
  }

  /** Changes what Meta says of a number; a new throughput takes effect with the next send. */
  updateNumber(phoneNumberId: string, change: NumberChange): PhoneNumber {
    const number = this.#numbers.get(phoneNumberId);
    if (!number) throw new RangeError(`no phone number ${phoneNumberId}`);
    const { blockedWith, blockedUntilMs, ...rest } = change;
    const updated: PhoneNumber = { ...number, ...rest };
    if (blockedWith !== undefined) updated.blockedWith = blockedWith;
    else if ('blockedWith' in change) delete updated.blockedWith;
    if (blockedUntilMs !== undefined) updated.blockedUntilMs = blockedUntilMs;
    else if ('blockedUntilMs' in change || 'blockedWith' in change) delete updated.blockedUntilMs;
    this.#numbers.set(phoneNumberId, updated);
    return updated;
  }

  /** Limit state is rebuilt only for the limits that changed, so a webhook tweak keeps the windows. */
  updateSettings(next: Settings): void {
    const previous = this.#settings.limits;
    this.#settings = next;
    if (previous.throughputPerSecond !== next.limits.throughputPerSecond) this.#throughput.clear();
    if (previous.pairIntervalMs !== next.limits.pairIntervalMs || previous.pairBurst !== next.limits.pairBurst) {
      this.#pairs = new PairRateLimit({ intervalMs: next.limits.pairIntervalMs, burst: next.limits.pairBurst });
    }
    if (previous.tierLimit !== next.limits.tierLimit) this.#tier = new MessagingTier(next.limits.tierLimit);
  }

  /** Back to the state of a fresh start: settings, templates, limits, faults, users and counts. */
  reset(settings: Settings): void {
    this.#settings = settings;
    this.catalog = new TemplateCatalog(this.#options.templates());
    this.#numbers = new Map(this.#options.numbers().map((number) => [number.phoneNumberId, number]));
    this.faults.clear();
    this.#throughput.clear();
    this.#pairs = new PairRateLimit({ intervalMs: settings.limits.pairIntervalMs, burst: settings.limits.pairBurst });
    this.#tier = new MessagingTier(settings.limits.tierLimit);
    this.#recipients.clear();
    this.#lastMessageTo.clear();
    this.#stats = new SendStats();
    this.sent.clear();
    this.#startedAt = this.#options.clock.now();
  }

  /** Forgets pair buckets that have refilled; called now and then so memory follows recent traffic. */
  prune(): void {
    this.#pairs.prune(this.#options.clock.now().getTime());
  }

  recipient(waId: string): Recipient {
    let recipient = this.#recipients.get(waId);
    if (!recipient) {
      recipient = {};
      this.#recipients.set(waId, recipient);
    }
    return recipient;
  }

  lastMessageTo(waId: string): string | undefined {
    return this.#lastMessageTo.get(waId)?.id;
  }

  /** The last message accepted for this user, with the template (and its values) it was sent with. */
  lastMessageOf(waId: string): LastMessage | undefined {
    return this.#lastMessageTo.get(waId);
  }

  authorized(authorization: string | undefined, queryToken: string | undefined): boolean {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : queryToken;
    return token === this.#options.accessToken;
  }

  send(input: {
    phoneNumberId: string;
    authorization?: string | undefined;
    queryToken?: string | undefined;
    body: unknown;
  }): SendOutcome {
    const nowMs = this.#options.clock.now().getTime();
    const { phoneNumberId } = input;
    this.stats.attempted(phoneNumberId, nowMs);
    const decision = decideFault(this.faults.for(phoneNumberId, nowMs), nowMs, this.#options.random);
    if (decision.action === 'refuse' || decision.action === 'hang') return { kind: decision.action };
    const reject = (error: MetaError): Reply => {
      this.stats.rejected(phoneNumberId, error.code);
      return { kind: 'reply', status: error.httpStatus, body: error.body, delayMs: decision.delayMs, code: error.code };
    };
    if (!this.authorized(input.authorization, input.queryToken)) return reject(metaError(190));
    const number = this.#liftExpired(this.#numbers.get(phoneNumberId), nowMs);
    if (!number) return reject(unknownObject('post', phoneNumberId));
    if (number.blockedWith !== undefined) return reject(metaError(number.blockedWith));
    if (decision.action === 'error') return reject(metaError(decision.code, undefined, decision.httpStatus));

    const parsed = parseSendRequest(input.body);
    if (!parsed.ok) return reject(parsed.error);
    const request = parsed.value;
    let category = 'service';
    if (request.type === 'template') {
      const template = this.catalog.get(request.template.name, request.template.language);
      const problem =
        templateProblem(template, request) ?? checkTemplateParameters(template!, request.template.components);
      if (problem) return reject(problem);
      category = template!.category.toLowerCase();
    }
    const refusal = this.#recipientRefusal(request.waId);
    if (refusal !== undefined) return reject(metaError(refusal));

    const limits = this.#settings.limits;
    const mps = number.throughputMps ?? limits.throughputPerSecond;
    if (mps !== null && !this.#throughputOf(phoneNumberId, mps).tryAcquire(nowMs)) return reject(metaError(130429));
    if (!this.#pairs.tryAcquire(`${phoneNumberId}:${request.waId}`, nowMs)) return reject(metaError(131056));
    const recipient = this.#recipients.get(request.waId);
    const userInitiated = recipient?.lastInboundMs !== undefined && recipient.lastInboundMs > nowMs - dayMs;
    if (!this.#tier.admit(request.waId, nowMs, userInitiated)) {
      return reject(
        metaError(
          limits.tierErrorCode,
          `Message failed to send because the business has reached its messaging limit of ${limits.tierLimit} unique users in 24 hours.`,
        ),
      );
    }

    const messageId = newWamid(request.waId);
    this.stats.accepted(phoneNumberId, messageKeyOf(request), nowMs);
    this.#remember(request.waId, {
      id: messageId,
      ...(request.type === 'template' ? { template: request.template } : {}),
    });
    this.sent.record({
      id: messageId,
      phoneNumberId,
      to: request.waId,
      acceptedAt: new Date(nowMs).toISOString(),
      ...(request.bizOpaque === undefined ? {} : { bizOpaqueCallbackData: request.bizOpaque }),
      ...(request.type === 'template' ? { template: request.template } : { text: request.text }),
    });
    this.#scheduleStatuses(
      number,
      request,
      messageId,
      category,
      nowMs,
      forcedFailure(recipient, request, category, userInitiated),
    );
    return {
      kind: 'reply',
      status: 200,
      delayMs: decision.delayMs,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: request.to, wa_id: request.waId }],
        messages: [{ id: messageId, message_status: 'accepted' }],
      },
    };
  }

  /** A restriction past its expiration has lifted: the number sends again, flagged if its quality is still low. */
  #liftExpired(number: PhoneNumber | undefined, nowMs: number): PhoneNumber | undefined {
    if (number?.blockedUntilMs === undefined || nowMs < number.blockedUntilMs) return number;
    return this.updateNumber(number.phoneNumberId, {
      status: number.qualityRating === 'RED' ? 'FLAGGED' : 'CONNECTED',
      blockedWith: undefined,
    });
  }

  /** The code a user set to be refused answers with now, counting the refusal down. */
  #recipientRefusal(waId: string): number | undefined {
    const recipient = this.#recipients.get(waId);
    return recipient ? countDown(recipient, 'rejectWith') : undefined;
  }

  listTemplates(input: {
    wabaId: string;
    authorization?: string | undefined;
    queryToken?: string | undefined;
    query: TemplateListQuery;
    pageUrl: string;
  }): Reply {
    if (!this.authorized(input.authorization, input.queryToken)) return fail(metaError(190));
    if (!this.#knowsWaba(input.wabaId)) return fail(unknownObject('get', input.wabaId));
    return ok(this.catalog.list(input.query, input.pageUrl));
  }

  /**
   * `POST /{waba-id}/message_templates`: checked as Meta checks a submission, stored PENDING and
   * handed to review; Meta answers with the new id, the status and the category it will review under.
   */
  submitTemplate(input: {
    wabaId: string;
    authorization?: string | undefined;
    queryToken?: string | undefined;
    body: unknown;
  }): Reply {
    if (!this.authorized(input.authorization, input.queryToken)) return fail(metaError(190));
    if (!this.#knowsWaba(input.wabaId)) return fail(unknownObject('post', input.wabaId));
    const submitted = readSubmission(input.body);
    if (!submitted.ok) return fail(submitted.error);
    const { template } = submitted;
    if (this.catalog.get(template.name, template.language)) return fail(duplicateTemplate());
    this.catalog.put(template);
    this.#options.review(template);
    return ok({ id: template.id, status: template.status, category: template.category });
  }

  /** Templates belong to a WABA; the simulator keeps one catalog for every WABA its numbers belong to. */
  #knowsWaba(wabaId: string): boolean {
    return wabaId === this.#options.wabaId || this.numbers.some((number) => number.wabaId === wabaId);
  }

  /** A number whose throughput changed starts a fresh window at its new limit. */
  #throughputOf(phoneNumberId: string, limit: number): SlidingWindowLimiter {
    let limiter = this.#throughput.get(phoneNumberId);
    if (limiter?.limit !== limit) {
      limiter = new SlidingWindowLimiter(limit);
      this.#throughput.set(phoneNumberId, limiter);
    }
    return limiter;
  }

  /** `GET /{phone-number-id}`: what Meta says of one of the business's numbers. */
  describeNumber(input: {
    phoneNumberId: string;
    authorization?: string | undefined;
    queryToken?: string | undefined;
    fields?: string | undefined;
  }): Reply {
    if (!this.authorized(input.authorization, input.queryToken)) return fail(metaError(190));
    const number = this.number(input.phoneNumberId);
    if (!number) return fail(unknownObject('get', input.phoneNumberId));
    const described = describePhoneNumber(number, input.fields, this.#settings.limits.throughputPerSecond);
    return described.ok ? ok(described.body) : fail(described.error);
  }

  #remember(waId: string, message: LastMessage) {
    this.#lastMessageTo.delete(waId);
    this.#lastMessageTo.set(waId, message);
    if (this.#lastMessageTo.size > lastMessageMemory)
      this.#lastMessageTo.delete(this.#lastMessageTo.keys().next().value!);
  }

  #scheduleStatuses(
    number: PhoneNumber,
    request: SendRequest,
    messageId: string,
    category: string,
    nowMs: number,
    failure: number | undefined,
  ) {
    const webhooks = this.#options.webhooks;
    if (!webhooks.enabled) return;
    const conversation = conversationOf(request.waId, category, nowMs);
    for (const planned of planStatuses(this.#settings.webhooks, this.#options.random, failure)) {
      const atMs = nowMs + planned.afterMs;
      webhooks.scheduleStatus(
        number,
        {
          messageId,
          status: planned.status,
          timestampSec: Math.floor(atMs / 1000),
          recipientId: request.waId,
          ...(request.bizOpaque === undefined ? {} : { bizOpaque: request.bizOpaque }),
          category,
          conversationId: conversation.id,
          conversationExpiresSec: conversation.expiresSec,
          ...(planned.errorCode === undefined ? {} : { errorCode: planned.errorCode }),
        },
        atMs,
      );
    }
  }
}

/** Immediate answers of the management calls, which no fault delays. */
const ok = (body: unknown): Reply => ({ kind: 'reply', status: 200, body, delayMs: 0 });
const fail = (error: MetaError): Reply => ({ kind: 'reply', status: error.httpStatus, body: error.body, delayMs: 0 });

/** Meta names the translation it could not find; a paused or disabled template has codes of its own. */
function templateProblem(
  template: Template | undefined,
  request: Extract<SendRequest, { type: 'template' }>,
): MetaError | undefined {
  const { name, language } = request.template;
  if (!template) return metaError(132001, `template name (${name}) does not exist in ${language}`);
  if (template.status === 'PAUSED') return metaError(132015, `template (${name}) is paused`);
  if (template.status === 'DISABLED') return metaError(132016, `template (${name}) is disabled`);
  if (template.status !== 'APPROVED')
    return metaError(132001, `template name (${name}) in ${language} is ${template.status}, not APPROVED`);
  return undefined;
}

/** The code of a recipient's rule that applies to this message, counting the rule down and clearing it when spent. */
function countDown(recipient: Recipient, rule: 'failWith' | 'rejectWith'): number | undefined {
  const current = recipient[rule];
  if (!current) return undefined;
  if (current.times !== null) {
    if (current.times <= 1) delete recipient[rule];
    else current.times -= 1;
  }
  return current.code;
}

/**
 * What happens after acceptance for users the simulator knows something about: a number set to
 * fail, a user who stopped marketing messages (131050, for marketing templates only), or a free-form
 * text outside the 24-hour customer service window (131047), all arriving as `failed` statuses.
 */
function forcedFailure(
  recipient: Recipient | undefined,
  request: SendRequest,
  category: string,
  userInitiated: boolean,
): number | undefined {
  const forced = recipient && countDown(recipient, 'failWith');
  if (forced !== undefined) return forced;
  if (recipient?.marketingStopped && category === 'marketing') return 131050;
  if (request.type === 'text' && !userInitiated) return 131047;
  return undefined;
}

/** Graph's answer for an id it does not know, e.g. a phone number id of another business. */
function unknownObject(method: 'get' | 'post', id: string): MetaError {
  const body: MetaErrorBody & { error: { error_subcode: number } } = {
    error: {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: fbtraceId(),
    },
  };
  return { code: 100, httpStatus: 400, body };
}
