import type { EventDefinition, PayloadOf } from '@ektola/platform/events';
import type { ParameterFormat } from '@ektola/platform/templates';
import type { ResolvedAudience, RunOutcomeFilter } from './audience.ts';
import type { ApiKeyIdentity, ApiKeyRecord, Role } from './api-key.ts';
import type { CampaignStatus } from './campaign-state.ts';
import type { ContactImportTransaction } from './contact-import.ts';
import type { ContactDraft } from './contact-row.ts';
import type { Page } from './cursor.ts';
import type { SessionIdentity } from './session.ts';
import type { EstimatedCost } from './estimated-cost.ts';
import type { StoredResponse } from './idempotency.ts';
import type { RateCard } from './rate-card.ts';
import type { MessageReport } from './run-report.ts';
import type {
  AudienceContact,
  Campaign,
  CampaignFields,
  Contact,
  ConversationEntry,
  CustomerReply,
  DispatchedMessage,
  MessageCounts,
  MetaTemplate,
  PausedBy,
  Run,
  Segment,
  Template,
  TemplateCategory,
  TemplateFields,
  TemplateQualityScore,
  TemplateStatus,
} from './model.ts';
import type { FrequencyCap, GuardrailSettings } from './guardrails.ts';
import type { MetaNumber, Sender } from './sender.ts';

/** Events written in the same transaction as the change they announce; a relay publishes them after commit. */
export interface EventOutbox {
  add<E extends EventDefinition>(event: E, payload: PayloadOf<E>): Promise<void>;
}

/** Contacts as a use case changes them: every read locks the row until the transaction ends. */
export interface ContactBook {
  lock(id: string): Promise<Contact | undefined>;
  /** The contacts stored under any of these phone numbers, locked. */
  lockByPhones(phones: readonly string[]): Promise<Contact[]>;
  recordPreference(id: string, preference: { optedOut: boolean; reason: string; at: Date }): Promise<Contact>;
  /** A number that said STOP before it was imported; undefined when another transaction stored it first. */
  addOptedOut(phone: string, reason: string, at: Date): Promise<Contact | undefined>;
  remove(id: string): Promise<void>;
}

export interface RunBook {
  lock(id: string): Promise<Run | undefined>;
  /** The campaign's run for a period, if it has one. */
  findForPeriod(campaignId: string, periodKey: string): Promise<Run | undefined>;
  /** A new REQUESTED run of the campaign's template. */
  add(run: Pick<Run, 'campaignId' | 'templateId' | 'periodKey' | 'scheduledFor'>): Promise<Run>;
  /** The campaign's runs that are still REQUESTED, locked. */
  lockOpenRuns(campaignId: string): Promise<Run[]>;
  markCancelled(id: string, at: Date): Promise<Run>;
}

export interface CampaignBook {
  lock(id: string): Promise<Campaign | undefined>;
  /** Any status but PAUSED forgets who paused the campaign and why. */
  setStatus(id: string, status: CampaignStatus): Promise<Campaign>;
  /** PAUSED, with who paused it and why. */
  pause(id: string, pause: { by: PausedBy; reason: string }): Promise<Campaign>;
  /** The campaigns of these statuses that send this template, locked. */
  lockUsingTemplate(templateId: string, statuses: readonly CampaignStatus[]): Promise<Campaign[]>;
  /** Replaces what an operator sets on the campaign. */
  edit(id: string, fields: CampaignFields): Promise<Campaign>;
  /** The latest period the campaign has a run for. */
  lastRun(id: string): Promise<Campaign['lastRun']>;
  /** What activation measured of the audience, shown on the campaign until the next activation. */
  recordAudienceEstimate(
    id: string,
    estimate: { audienceCount: number; estimatedCost: EstimatedCost | null },
  ): Promise<void>;
}

/** What a new sender is stored with: Meta's view of the number and what the operator said of it. */
export type SenderDraft = Pick<
  Sender,
  'phoneNumberId' | 'wabaId' | 'portfolioId' | 'label' | 'isDefault' | 'metaMps' | 'messagingLimit' | 'metaStatus'
> &
  Omit<MetaNumber, 'status'> & { refreshedAt: Date | null };

/** The fields of a sender a change may replace; the book raises its version and stamps updatedAt. */
export type SenderChange = Partial<
  Omit<Sender, 'id' | 'phoneNumberId' | 'isDefault' | 'version' | 'createdAt' | 'updatedAt'>
>;

/** Sender numbers as a use case changes them: every read locks the rows until the transaction ends. */
export interface SenderBook {
  lock(id: string): Promise<Sender | undefined>;
  lockByPhoneNumberId(phoneNumberId: string): Promise<Sender | undefined>;
  /** The WABA's senders (and those registered without a WABA), only the one with this display number when given. */
  lockMatching(wabaId: string, displayPhoneNumber: string | undefined): Promise<Sender[]>;
  /** A new sender at version 1; undefined when its phone number id is registered already. */
  add(draft: SenderDraft): Promise<Sender | undefined>;
  /** Applies the change and raises the version by one. */
  change(id: string, change: SenderChange): Promise<Sender>;
  /** Notes a read of Meta that changed nothing; the version stays. */
  markRefreshed(id: string, at: Date): Promise<Sender>;
  makeDefault(id: string): Promise<Sender>;
  clearDefault(): Promise<void>;
  remove(id: string): Promise<void>;
  /** These senders in the order given; ids no longer registered are left out. */
  ofIds(ids: readonly string[]): Promise<Sender[]>;
  findDefault(): Promise<Sender | undefined>;
  /** Names of the DRAFT, ACTIVE or PAUSED campaigns that send from the sender. */
  openCampaignsUsing(id: string): Promise<string[]>;
}

export interface TransactionScope {
  contacts: ContactBook;
  runs: RunBook;
  campaigns: CampaignBook;
  senders: SenderBook;
  outbox: EventOutbox;
}

/** One database transaction: all of the work commits, with its outbox events, or none of it does. */
export interface Transactions {
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}

export interface ContactQuery {
  tag?: string | undefined;
  search?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface ContactPatch {
  phone?: string | undefined;
  name?: string | null | undefined;
  tags?: string[] | undefined;
  attributes?: Record<string, unknown> | undefined;
}

/** Contacts outside a use case's transaction: single writes, lists and imports. */
export interface ContactDirectory {
  /** A conflict when another contact has the phone. */
  create(draft: ContactDraft): Promise<Contact>;
  get(id: string): Promise<Contact>;
  list(query: ContactQuery): Promise<Page<Contact>>;
  update(id: string, patch: ContactPatch): Promise<Contact>;
  /** One upload's contacts, written batch by batch into a transaction of their own. */
  beginImport(): ContactImportTransaction;
  /**
   * An applied import changed this many contacts. A store whose reads are planned on what it knows of
   * the table learns the table's new shape here, so the first campaign after a large import reads its
   * audience as cheaply as the next one.
   */
  importApplied(changed: number): Promise<void>;
}

/** How an audience splits, for a template whose `requiredFields` have no default. */
export interface AudienceMeasure {
  /** Not opted out and every required field has a value: who a run would message. */
  eligible: number;
  optedOut: number;
  /** Not opted out, but a required field is empty. */
  missingValue: number;
  /** Not opted out, no value missing, but their calling code receives no MARKETING templates. */
  regionBlocked: number;
  /** The eligible by the rate card's calling code they fall under (`default` for none). */
  eligibleByCallingCode: Map<string, number>;
}

export interface AudienceSelection {
  /** Contact fields (`name`, `attributes.<key>`) a template needs a value of, having no default. */
  requiredFields: readonly string[];
}

/** What a count selects: the template's required fields, and the calling codes the region rules block. */
export interface MeasureSelection extends AudienceSelection {
  /** The rate card's calling codes, by which the eligible are grouped. */
  callingCodes: readonly string[];
  blockedCallingCodes: readonly string[];
}

/** Audiences evaluated where the contacts are, never loaded whole. */
export interface AudienceDirectory {
  measure(audience: ResolvedAudience, selection: MeasureSelection): Promise<AudienceMeasure>;
  /**
   * The next page of eligible contacts (as `measure` counts them) in contact-id order, each with the rate
   * card's calling code it falls under (`default` for none).
   */
  eligiblePage(
    audience: ResolvedAudience,
    selection: MeasureSelection,
    afterId: string | undefined,
    limit: number,
  ): Promise<Array<{ id: string; callingCode: string }>>;
  /** The first eligible contacts in contact-id order. */
  sample(audience: ResolvedAudience, selection: AudienceSelection, limit: number): Promise<Contact[]>;
  /** The next page of contacts the audience holds in contact-id order, opted-out contacts left out. */
  page(audience: ResolvedAudience, afterId: string | undefined, limit: number): Promise<AudienceContact[]>;
}

/** Saved audiences. */
export interface SegmentDirectory {
  create(fields: Pick<Segment, 'name' | 'audience'>): Promise<Segment>;
  get(id: string): Promise<Segment>;
  find(id: string): Promise<Segment | undefined>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<Segment>>;
  update(id: string, fields: Pick<Segment, 'name' | 'audience'>): Promise<Segment>;
  /** A conflict while a campaign or another segment names it. */
  delete(id: string): Promise<void>;
}

export interface TemplateQuery {
  limit: number;
  cursor?: string | undefined;
  status?: TemplateStatus | undefined;
}

/** The business's WhatsApp templates and how their placeholders map to contact fields. */
export interface TemplateCatalog {
  /** A conflict when a template with the name and language exists; `meta` for one submitted to Meta. */
  create(fields: TemplateFields, meta?: { metaTemplateId: string }): Promise<Template>;
  get(id: string): Promise<Template>;
  find(id: string): Promise<Template | undefined>;
  list(query: TemplateQuery): Promise<Page<Template>>;
  replace(id: string, fields: TemplateFields): Promise<Template>;
  /** A conflict while a campaign uses it. */
  delete(id: string): Promise<void>;
  /** Meta's view wins for what Meta owns; the mapping to contact fields is kept. */
  upsertFromMeta(template: MetaTemplate): Promise<'created' | 'updated'>;
  /**
   * A status change Meta announced, with its reason kept while REJECTED; the template as it is now,
   * undefined when no such template is stored here.
   */
  applyStatus(
    name: string,
    language: string,
    change: { status: TemplateStatus; reason: string | null },
  ): Promise<Template | undefined>;
  /** Meta's new quality rating or category of a template; undefined when no such template is stored here. */
  applyMetaUpdate(
    name: string,
    language: string,
    update: { qualityScore?: TemplateQualityScore; category?: TemplateCategory },
  ): Promise<Template | undefined>;
  findByName(name: string, language: string): Promise<Template | undefined>;
}

export interface TemplateListing {
  templates: MetaTemplate[];
  /** Templates Meta lists that EkTola cannot use (an unknown status or component), with why. */
  skipped: Array<{ name: string; language: string; reason: string }>;
}

/** Meta's list of the business's templates. */
export interface TemplateSource {
  list(): Promise<TemplateListing>;
}

/** A template as Meta's `POST /{waba-id}/message_templates` takes it: components in Meta's shape, with examples. */
export interface TemplateDraft {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  components: Array<Record<string, unknown>>;
}

/**
 * Creates templates at Meta for review. Meta refusing the template is an invalid error with Meta's
 * message (`meta_rejected`), a name Meta already has a conflict (`template_exists`), Meta failing or
 * unreachable an unavailable error (`meta_failed`).
 */
export interface TemplateSubmission {
  submit(draft: TemplateDraft): Promise<{ id: string; status: TemplateStatus; category: TemplateCategory }>;
}

/** Sender numbers outside a use case's transaction. */
export interface SenderDirectory {
  get(id: string): Promise<Sender>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<Sender>>;
  /** Every sender, for the periodic refresh and the gauges (an install has a handful). */
  all(): Promise<Sender[]>;
  /** These senders, in no particular order; ids not registered are left out. */
  find(ids: readonly string[]): Promise<Sender[]>;
}

/** Meta's description of one of the business's phone numbers (GET /{phone-number-id}). */
export interface NumberReader {
  /** An unprocessable error naming `phoneNumberId` when Meta knows no such number. */
  read(phoneNumberId: string): Promise<MetaNumber>;
}

export interface SchedulableCampaign {
  campaign: Campaign;
  lastPeriodKey: string | null;
  lastScheduledFor: Date | null;
}

export interface SkippedPeriodReport {
  campaignId: string;
  periodKey: string;
  scheduledFor: Date;
  reason: string;
}

/** Campaigns outside a use case's transaction. */
export interface CampaignRepository {
  /** A new DRAFT; undefined when the template it names does not exist. */
  create(fields: CampaignFields): Promise<Campaign | undefined>;
  /** The campaign with the latest period it has a run for. */
  get(id: string): Promise<Campaign>;
  list(query: {
    status?: CampaignStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<Campaign>>;
  /** ACTIVE and PAUSED campaigns in id order, each with the latest period it has a run for. */
  listSchedulable(
    pageSize: number,
    afterId: string | undefined,
  ): Promise<{ campaigns: SchedulableCampaign[]; nextAfter: string | undefined }>;
  /** The scheduler's skipped periods; a campaign keeps the latest by scheduled time, however reports arrive. */
  recordSkippedPeriods(skipped: SkippedPeriodReport[], reportedAt: Date): Promise<void>;
  /** Recurring campaigns whose end (plus the grace) has passed become COMPLETED; resolves with their ids. */
  completeEnded(now: Date, graceMs: number): Promise<string[]>;
}

/** Runs outside a use case's transaction. */
export interface RunLedger {
  get(id: string): Promise<Run>;
  listForCampaign(campaignId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<Run>>;
  /** Runs of every campaign scheduled at or after `since`, newest first, at most `limit`. */
  scheduledSince(since: Date, limit: number): Promise<Run[]>;
  /** The dispatcher's final counts; 'already' on a redelivery, not_found for a run that is not ours. */
  markCompleted(input: { runId: string; completedAt: Date; counts: MessageCounts }): Promise<'completed' | 'already'>;
}

export interface RunMessageStats extends MessageCounts {
  total: number;
  waitingReason: string | null;
}

/** What the dispatcher knows of a run's messages. */
export interface SendingAlert {
  kind: 'breaker_open' | 'tier_limit' | 'account_error' | 'sender_unavailable';
  message: string;
}

/** Sending across every run, as the dispatcher counts it. */
export interface SendingOverview {
  /** Messages created in the last 24 hours, by their status now. */
  messagesLastDay: Array<{ status: string; count: number }>;
  /** Sends in each of the last 60 minutes, oldest first; `minute` is ISO 8601. */
  sendsPerMinute: Array<{ minute: string; count: number }>;
  alerts: SendingAlert[];
}

export interface DispatchQuery {
  /** What holds sending back now, the last day's messages and the last hour's sends. */
  sendingOverview(): Promise<SendingOverview>;
  /** The run's sends per minute of sent_at, first send to last, empty minutes included (at most a day). */
  runSendsPerMinute(runId: string): Promise<Array<{ minute: string; count: number }>>;
  /** Counts by status; a run the dispatcher has not fanned out yet has none. */
  runStats(runId: string): Promise<RunMessageStats>;
  listMessages(request: {
    runId: string;
    status: string;
    /** 0 for any, else only messages that failed with this Meta error code. */
    errorCode: number;
    pageSize: number;
    pageToken: string;
  }): Promise<{ messages: DispatchedMessage[]; nextPageToken: string }>;
  /** One report per run the dispatcher holds messages of; runs it does not know are left out. */
  runReports(runIds: readonly string[]): Promise<Array<MessageReport & { runId: string }>>;
  /** Which of these contacts (at most 1,000) the frequency cap would stop now, as the dispatcher counts. */
  frequencyCapped(contactIds: readonly string[], cap: FrequencyCap): Promise<string[]>;
  /** Every message of the run in id order, a bounded batch at a time, read as the caller asks for more. */
  exportMessages(runId: string): AsyncIterable<DispatchedMessage[]>;
  /** The run's contacts whose message matches the filter, in contact-id order, batch by batch. */
  runRecipients(filter: RunOutcomeFilter): AsyncIterable<string[]>;
  /** A contact's messages both ways, oldest first: campaign messages by contact id, what it sent by phone. */
  conversation(request: {
    contactId: string;
    phone: string;
    pageSize: number;
    pageToken: string;
  }): Promise<{ entries: ConversationEntry[]; nextPageToken: string }>;
  /** Messages customers sent, oldest first; of one campaign when `campaignId` is not empty, from `since` when given. */
  replies(request: {
    campaignId: string;
    since: string;
    pageSize: number;
    pageToken: string;
  }): Promise<{ replies: CustomerReply[]; nextPageToken: string }>;
  /** One message by id, with its run's id; a not_found error when the dispatcher has none. */
  message(id: string): Promise<DispatchedMessage & { runId: string }>;
  /** What the dispatcher sends through each of these numbers now; numbers it does not know are left out. */
  senderActivity(phoneNumberIds: readonly string[]): Promise<SenderActivity[]>;
}

/** One number's sending as the dispatcher sees it. */
export interface SenderActivity {
  phoneNumberId: string;
  sentLastMinute: number;
  peakPerSecond: number;
  pending: number;
  sending: number;
  /** The rate the dispatcher holds the number to now. */
  mps: number;
  /** Why the number does not send now; null when it sends. */
  heldReason: string | null;
  recipientsLastDay: number;
  /** The portfolio's daily limit as the dispatcher counts it; null: unlimited. */
  messagingLimit: number | null;
}

/** The admin's rate card; there is at most one. */
export interface RateCardStore {
  current(): Promise<RateCard | undefined>;
  replace(card: Omit<RateCard, 'updatedAt'>): Promise<RateCard>;
}

/** The admin's marketing guardrails; the defaults until an admin sets them. */
export interface GuardrailStore {
  current(): Promise<GuardrailSettings>;
  /** Null turns the cap off. */
  setFrequencyCap(cap: FrequencyCap | null): Promise<GuardrailSettings>;
  setBlockedCallingCodes(codes: readonly string[]): Promise<GuardrailSettings>;
}

/** Contacts' names by id, for a bounded batch of ids; deleted contacts are missing from the answer. */
export interface ContactNames {
  namesOf(contactIds: readonly string[]): Promise<Map<string, string>>;
}

/** Contact ids staged beside the contacts for one evaluation of a re-targeted audience. */
export interface RecipientSets {
  /** A new, empty set's id. */
  open(): string;
  add(setId: string, contactIds: readonly string[]): Promise<void>;
  discard(setId: string): Promise<void>;
  /** Sets an interrupted evaluation left; resolves with how many rows went. */
  discardOlderThan(cutoff: Date): Promise<number>;
}

/** API keys; the table keeps only their hashes. */
export interface ApiKeyRegistry {
  /** The key itself is returned only here. */
  mint(input: { name: string; role: Role }): Promise<{ record: ApiKeyRecord; key: string }>;
  /** Makes the configured bootstrap key a valid admin key; one an admin revoked stays revoked. */
  ensureBootstrapKey(key: string): Promise<'created' | 'present'>;
  authenticate(key: string): Promise<ApiKeyIdentity | undefined>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<ApiKeyRecord>>;
  /** A conflict for the last working admin key. */
  revoke(id: string): Promise<ApiKeyRecord>;
}

/** Console sign-ins: a token stands for an API key until it expires, is ended or the key is revoked. */
export interface SessionStore {
  start(apiKeyId: string, expiresAt: Date): Promise<string>;
  /** The signed-in key, while the session is unexpired and its key unrevoked. */
  identify(token: string): Promise<SessionIdentity | undefined>;
  end(token: string): Promise<void>;
  /** At most `limit` sessions that expired before the cutoff; resolves with how many. */
  deleteExpired(cutoff: Date, limit: number): Promise<number>;
}

export interface IdempotencyRecord {
  fingerprint: string | null;
  response: StoredResponse | null;
}

/** Idempotency keys, per API key. */
export interface IdempotencyKeys {
  /** Claims the key for this request; resolves undefined when it was free, else with what holds it. */
  claim(apiKeyId: string, key: string, fingerprint: string | null): Promise<IdempotencyRecord | undefined>;
  complete(apiKeyId: string, key: string, fingerprint: string, response: StoredResponse): Promise<void>;
  /** A request that failed on our side frees its key. */
  release(apiKeyId: string, key: string): Promise<void>;
  /** At most `limit` keys older than the cutoff; resolves with how many. */
  deleteOlderThan(cutoff: Date, limit: number): Promise<number>;
}

export interface SchedulerPass {
  startedAt: Date;
  finishedAt: Date;
  campaignsSeen: number;
  runsCreated: number;
  runsExisting: number;
  skipped: number;
  errors: number;
}

/** The scheduler's passes as it reports them; a pass with errors is not a success. */
export interface SchedulerHealthLog {
  record(pass: SchedulerPass): Promise<void>;
}

/** What the outbox relay reports as it goes. */
export interface OutboxRelayMetrics {
  /** An event that cannot be published was set aside. */
  setAside(): void;
}

/** Outbox rows already published, kept a while for inspection. */
export interface PublishedOutbox {
  /** At most `limit` rows published before the cutoff; resolves with how many. */
  deletePublishedBefore(cutoff: Date, limit: number): Promise<number>;
}

/** A business's webhook endpoint as the callback-service keeps it (never with its secret). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
  previousSecretExpiresAt: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  createdAt: string;
  nextAttemptAt: string | null;
  completedAt: string | null;
  attempts: Array<{ attemptedAt: string; httpStatus: number | null; latencyMs: number; error: string | null }>;
}

/**
 * The callback-service's endpoints and deliveries, which the public API manages. The callback-service
 * owns them (and the secrets); this service keeps no copy.
 */
export interface WebhookEndpoints {
  create(input: { url: string; events: string[]; description?: string | undefined }): Promise<{
    endpoint: WebhookEndpointView;
    secret: string;
  }>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<WebhookEndpointView>>;
  get(id: string): Promise<WebhookEndpointView>;
  update(
    id: string,
    changes: {
      url?: string | undefined;
      events?: string[] | undefined;
      enabled?: boolean | undefined;
      description?: string | undefined;
    },
  ): Promise<WebhookEndpointView>;
  remove(id: string): Promise<void>;
  rotateSecret(id: string): Promise<{ endpoint: WebhookEndpointView; secret: string }>;
  sendTest(id: string): Promise<WebhookDeliveryView>;
  deliveries(
    id: string,
    query: { status?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<WebhookDeliveryView>>;
  retry(id: string, deliveryId: string): Promise<WebhookDeliveryView>;
}
