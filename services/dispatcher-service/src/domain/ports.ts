import type { MessageStatus, RunGuardrails, RunSender, SkipReason, StatusCounts } from '@ektola/platform/events';
import type { MessageDraft, RunTemplate, AudienceMember } from './message-draft.ts';

/** A message this process claimed (PENDING → SENDING) and may now send. */
export interface ClaimedMessage {
  id: string;
  runId: string;
  phone: string;
  phoneNumberId: string;
  templateName: string;
  templateLanguage: string;
  /**
   * The send components as the fan-out stored them: a JSON array, carried as text from the claim into
   * the request body, since nothing between reads them (no parse and re-serialisation per send).
   */
  componentsJson: string;
  /** The attempt number the claim made; only this claim may write the result. */
  attempt: number;
  /** The run's send window and the campaign's zone; absent when the run has none. */
  sendWindow?: NonNullable<RunGuardrails['sendWindow']>;
  /** The contact's own IANA zone, when it has one. */
  timezone?: string;
}

/** Why a PENDING message waits rather than being retried. */
export type WaitingReason = 'outside_send_window' | 'marketing_limit' | 'sender_unavailable' | 'template_paused';

/** The waiting reasons a number or a template holds messages for, until the campaign-service or Meta releases them. */
export const heldReasons = ['sender_unavailable', 'template_paused'] as const satisfies readonly WaitingReason[];
export type HeldReason = (typeof heldReasons)[number];

/** What one Cloud API call came to. `probe` is true when the circuit breaker let it through half-open. */
export type SendResult = { probe: boolean } & (
  | { kind: 'accepted'; wamid: string }
  | { kind: 'rejected'; code: number; message: string; httpStatus: number }
  /** Never reached Meta because Meta could not be reached (connection refused, DNS, connect timeout). */
  | { kind: 'unreachable'; reason: string }
  /** Not attempted at all: the breaker is open, the number stopped, or the claim grew too old. */
  | { kind: 'refused'; reason: string }
  /** The request may have reached Meta (timeout or connection lost after sending): outcome unknown. */
  | { kind: 'unknown'; reason: string }
);

export type MessageUpdate = { id: string; attempt: number } & (
  | { to: 'SENT'; wamid: string }
  | { to: 'FAILED'; code: number; message: string; deadLetter: boolean }
  | {
      to: 'PENDING';
      nextAttemptAt: Date;
      refund: boolean;
      code?: number;
      message?: string;
      waitingReason?: WaitingReason;
    }
  /** Outcome unknown: stays SENDING until a status webhook resolves it or the lease runs out. */
  | { to: 'SENDING'; leaseUntil: Date; code?: number; message?: string }
);

/** Messages that will never be sent, counted by why. */
export type SkipCounts = Partial<Record<SkipReason, number>>;

export interface Claim {
  claimed: ClaimedMessage[];
  /** PENDING messages of `ids` whose contact is suppressed, whose run is cancelled or that a guardrail stops: SKIPPED by the same statement. */
  skipped: Array<{ id: string; reason: SkipReason }>;
  /** SENDING messages of unknown outcome whose lease ran out and that must not be sent again: FAILED by the same statement. */
  abandoned: string[];
}

/** A message a claim could take now, with the number it goes out from. */
export interface DueMessage {
  id: string;
  phoneNumberId: string;
}

/** What a batch still has PENDING on one number: how many, and when the earliest is due. */
export interface NumberRemaining {
  phoneNumberId: string;
  pending: number;
  nextAttemptAt: Date | undefined;
}

export interface SendStore {
  /**
   * Which of `ids` a claim could take at `now` (PENDING and due, or SENDING with an expired lease), in id
   * order; none whose number does not send or whose template Meta holds.
   */
  due(ids: readonly string[], now: Date): Promise<DueMessage[]>;
  /**
   * Claims up to `limit` of `ids` that are due (PENDING and due, or SENDING with an expired lease) and
   * may be sent; in the same statement, ones that must not be sent any more (contact suppressed, run
   * cancelled) become SKIPPED (PENDING) or FAILED (SENDING, outcome unknown) instead, and due PENDING
   * MARKETING ones the run's guardrails stop (region blocked, frequency capped) become SKIPPED. It never
   * claims a message whose number does not send (RESTRICTED, DISABLED, DELETED) or whose template Meta
   * holds: those stay where they are.
   */
  claim(ids: readonly string[], limit: number, leaseMs: number, now: Date): Promise<Claim>;
  /**
   * Which of `ids` may still be sent: their contact is not suppressed and their run not cancelled. A
   * claim decides that once; a claimed message that waits for a later rate slot is asked again.
   */
  stillSendable(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Writes the results of attempts made through `sentFrom`. A result that reached Meta (SENT, FAILED,
   * unknown) also sets the message's number to `sentFrom`: a change of senders may have moved it while
   * the attempt was in flight, and the number it went out from is the one it belongs to.
   */
  record(updates: readonly MessageUpdate[], sentFrom: string): Promise<void>;
  /**
   * How many of `ids` are still PENDING and may be sent once due, per number, and when the earliest is
   * due; messages a number or template holds are left out (their release queues them again).
   */
  remaining(ids: readonly string[]): Promise<NumberRemaining[]>;
}

export interface CloudApi {
  /**
   * `leaveBy` (performance.now()) is when the message's rate slot ends: a send that cannot leave by
   * then, because every connection is busy, is refused unsent rather than sent late in a burst.
   */
  send(message: ClaimedMessage, leaveBy?: number): Promise<SendResult>;
}

export interface RateGrant {
  count: number;
  /** performance.now() after which these sends may no longer leave. */
  usableUntil: number;
}

export interface RateGate {
  /** Waits until the number may make at least one more send; grants up to `max`. */
  take(max: number): Promise<RateGrant>;
}

export interface TierGate {
  /** Which of these recipients the daily tier admits now, and when it admits more if it refused some. */
  admit(phones: readonly string[]): Promise<{ admitted: ReadonlySet<string>; resumesAt: Date | undefined }>;
}

export interface NumberHold {
  reason: string;
  until: Date;
}

/** The sender number's shared state: account blocks, 130429 pauses, tier exhaustion. */
export interface NumberGate {
  hold(): Promise<NumberHold | undefined>;
  block(code: number, message: string): Promise<void>;
  slowDown(): Promise<void>;
  tierExhausted(resumesAt: Date): Promise<void>;
}

/** The gates one number's sends pass: its rate bucket, its portfolio's daily limit, its shared state. */
export interface NumberGates {
  rate: RateGate;
  /** Absent when neither the number's portfolio nor the configuration sets a daily limit. */
  tier(): Promise<TierGate | undefined>;
  numbers: NumberGate;
}

/** The gates of each number, made once per number and kept. */
export type GatesOf = (phoneNumberId: string) => NumberGates;

export interface RunCompletion {
  /** Completes each run with nothing PENDING or SENDING left and publishes run.completed once. */
  settle(runIds: readonly string[]): Promise<void>;
}

export interface NewRun {
  id: string;
  campaignId: string;
  templateId: string;
  phoneNumberId: string;
  /** The numbers the run spreads over; absent: `phoneNumberId` sends everything. */
  senders?: RunSender[] | undefined;
  /** A test send's run of one message: completed without run.completed. */
  testSend?: boolean;
  /** The marketing guardrails the run was requested under; none for a run requested before they existed. */
  guardrails: RunGuardrails | undefined;
}

export interface StoredDrafts {
  pending: number;
  failed: number;
  skipped: SkipCounts;
  runCancelled: boolean;
}

/** A draft with the number it will go out from. */
export type AssignedDraft = MessageDraft & { phoneNumberId: string };

/** Which numbers send now, as the sender.changed projection says (a number it does not know sends). */
export interface SenderStates {
  sending(phoneNumberIds: readonly string[]): Promise<ReadonlySet<string>>;
}

export type SenderState = 'ACTIVE' | 'FLAGGED' | 'RESTRICTED' | 'DISABLED' | 'DELETED';

/** A sender number as the campaign-service last stated it (sender.changed). */
export interface SenderRecord {
  phoneNumberId: string;
  portfolioKey: string;
  mps: number;
  messagingLimit: number | null;
  state: SenderState;
  reason: string | undefined;
  version: number;
}

/**
 * A PENDING message of an open run that a change of senders may move, hold or release, or a SENDING one
 * on the number (in flight: it moves, so that it goes out from its new number if its attempt comes back).
 */
export interface AssignedMessage {
  id: string;
  status: 'PENDING' | 'SENDING';
  runId: string;
  contactId: string;
  phoneNumberId: string;
  waitingReason: WaitingReason | undefined;
  /** The run's senders (its single number when it names none). */
  runSenders: RunSender[];
}

/** What becomes of one message after a change of senders. */
export type Reassignment =
  { id: string; kind: 'move'; phoneNumberId: string } | { id: string; kind: 'wait' } | { id: string; kind: 'release' };

export interface SenderProjection {
  /**
   * Keeps `sender` if its version is newer than the one stored and, in the same transaction, applies
   * `plan` to the PENDING messages of open runs that are on the number or wait for a sender: moved
   * messages take their new number, waiting ones are held with `sender_unavailable`, released ones are
   * free again. `reopened` holds the number when it sends again after it did not: every PENDING message
   * on it is released then, marked or not. Returns the messages moved or released (to queue), or applied
   * false for a stale version.
   */
  record(
    sender: SenderRecord,
    plan: (
      messages: readonly AssignedMessage[],
      numbers: { sending: ReadonlySet<string>; reopened: ReadonlySet<string> },
    ) => Reassignment[],
  ): Promise<{ applied: boolean; queue: Array<{ id: string; runId: string }>; waiting: number }>;
}

/** Templates Meta holds, and the messages that wait for them. */
export interface TemplateHolds {
  /** Holds the template; its PENDING messages of open runs wait `template_paused`. Returns how many. */
  hold(template: {
    name: string;
    language: string;
    event: string;
    reason: string | undefined;
    since: Date;
  }): Promise<number>;
  /**
   * Releases the template unless it was held after `at` (a late approval does not undo a newer pause);
   * returns its PENDING messages of open runs, to queue again.
   */
  release(template: { name: string; language: string; at: Date }): Promise<Array<{ id: string; runId: string }>>;
}

export interface FanOutStore {
  /** Creates the run if it is new; returns where a previous fan-out stopped and whether the run is cancelled. */
  openRun(run: NewRun): Promise<{ cursor: string | undefined; done: boolean; cancelled: boolean }>;
  /**
   * Stores what is not stored yet (drafts of suppressed contacts, or of a cancelled run, as SKIPPED);
   * returns how many rows this call inserted, by status, and whether the run is cancelled. With
   * `queuedThrough`, the last contact of the batches already queued, the run's fan-out cursor moves
   * there in the same statement.
   */
  insertMessages(
    run: NewRun,
    template: RunTemplate,
    drafts: readonly AssignedDraft[],
    queuedThrough?: string,
  ): Promise<StoredDrafts>;
  /**
   * Turns the cancelled run's PENDING messages SKIPPED (run_cancelled). The cancel turned those it saw;
   * an insert whose statement began before the cancel committed, and which did not wait on the run's
   * row, may have committed PENDING messages after that, which nothing else would settle.
   */
  skipPendingOfCancelledRun(runId: string): Promise<void>;
  finishFanOut(runId: string): Promise<void>;
  /**
   * The run's messages are all stored. A store whose reads are planned on what it knows of the table
   * learns here that the run is there, so the reads that page through one run (its messages, its
   * recipients) stay a page's worth each however large the run.
   */
  runStored(runId: string): Promise<void>;
}

export interface AudienceSource {
  template(templateId: string): Promise<RunTemplate>;
  /** The run's audience in contact-id order, after `afterContactId`, in batches. */
  audience(runId: string, afterContactId: string | undefined): AsyncIterable<AudienceMember[]>;
}

export interface SendQueue {
  /** Queues send batches; msgIds are derived from the contents, so a repeat publishes nothing new. */
  enqueue(runId: string, batches: ReadonlyArray<{ key: string; messageIds: string[] }>): Promise<void>;
}

export interface RunSnapshot {
  runId: string;
  campaignId: string;
  phoneNumberId: string;
  counts: StatusCounts;
  total: number;
  completedAt: Date | undefined;
}

/** What skipping messages touched: the runs to settle, and how many messages it skipped by why. */
export interface Skipped {
  runIds: string[];
  skipped: SkipCounts;
}

/** A contact the campaign-service says must not (or may again) be messaged. */
export interface SuppressionChange {
  contactId: string;
  phone: string;
  suppressed: boolean;
  reason: 'opted_out' | 'contact_deleted';
  occurredAt: Date;
}

export interface SuppressionStore {
  /**
   * Keeps the newest state per contact (an older event changes nothing; a deletion is final) and, in the
   * same transaction, turns the contact's PENDING messages SKIPPED when the kept state suppresses it.
   */
  record(change: SuppressionChange): Promise<Skipped>;
}

export interface RunCancellationStore {
  /**
   * Marks the run cancelled and turns its PENDING messages SKIPPED in one transaction. A run not known
   * yet is recorded cancelled with nothing to send, so its run.requested adds nothing.
   */
  cancel(cancellation: { runId: string; campaignId: string; cancelledAt: Date }): Promise<Skipped>;
}

export interface RunRecord {
  id: string;
  campaignId: string;
  phoneNumberId: string;
  total: number;
  counts: StatusCounts;
  fannedOut: boolean;
  completedAt: Date | undefined;
}

export interface MessageRecord {
  id: string;
  runId: string;
  campaignId: string;
  contactId: string;
  phone: string;
  status: MessageStatus;
  wamid: string | undefined;
  errorCode: number | undefined;
  errorMessage: string | undefined;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | undefined;
  deliveredAt: Date | undefined;
  readAt: Date | undefined;
  failedAt: Date | undefined;
  skipReason: SkipReason | undefined;
  skippedAt: Date | undefined;
  errorTitle: string | undefined;
  category: string | undefined;
  billable: boolean | undefined;
  pricingModel: string | undefined;
  /** Why a PENDING message waits beyond an ordinary retry; undefined otherwise. */
  waitingReason: WaitingReason | undefined;
  /** When a PENDING message is next tried; undefined when due now. */
  nextAttemptAt: Date | undefined;
}

/** The runs and their messages as DispatchQuery reads them, and the completions run.completed announces. */
export interface RunStore {
  /**
   * Marks complete the given runs (or every open one) that are fanned out with nothing PENDING or SENDING.
   * Test sends complete too but are not returned: their completion is never announced.
   */
  completeFinished(runIds?: readonly string[]): Promise<RunRecord[]>;
  unpublishedCompletions(limit?: number): Promise<RunRecord[]>;
  markCompletionPublished(runIds: readonly string[]): Promise<void>;
  find(runId: string): Promise<RunRecord | undefined>;
  listMessages(options: {
    runId: string;
    status: MessageStatus | undefined;
    /** Only messages that failed with this Meta error code; any when undefined. */
    errorCode?: number | undefined;
    afterId: string | undefined;
    limit: number;
  }): Promise<MessageRecord[]>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  /**
   * The next contacts, in contact-id order after `afterContactId`, whose message in the run has one of
   * the statuses (and one of the error codes, when any are given).
   */
  recipientsPage(options: {
    runId: string;
    statuses: readonly MessageStatus[];
    errorCodes: readonly number[];
    /** Only messages that got a reply (true) or none (false); either when undefined. */
    replied?: boolean | undefined;
    afterContactId: string | undefined;
    limit: number;
  }): Promise<string[]>;
  /**
   * Which of `contactIds` already had `maxMessages` MARKETING messages claimed within the last
   * `windowSeconds`, across all campaigns: those a frequency cap would stop now.
   */
  frequencyCapped(options: {
    contactIds: readonly string[];
    maxMessages: number;
    windowSeconds: number;
  }): Promise<string[]>;
  /** The messages of runs not yet completed, summed by status. */
  openRunCounts(): Promise<StatusCounts>;
}

/** What happened to one run's messages, aggregated where they are stored. */
export interface RunReport {
  runId: string;
  total: number;
  counts: StatusCounts;
  /** SENT, DELIVERED, READ, and FAILED after Meta accepted the message (it carries a wamid). */
  reached: number;
  failedAfterSend: number;
  skippedByReason: SkipCounts;
  /** Largest first. */
  errors: Array<{ code: number; title: string; count: number }>;
  billable: number;
  billableMessages: Array<{ category: string; callingCode: string; count: number }>;
}

export interface RunReports {
  /** One report per run of `runIds` that has messages. */
  reports(runIds: readonly string[]): Promise<RunReport[]>;
}

/** Completion that also repairs what a crash between writing and publishing left unannounced. */
export interface RunCompletionRepair extends RunCompletion {
  publishLeftovers(): Promise<void>;
}

export interface StatusUpdate {
  wamid: string;
  /** Our message id when Meta echoed biz_opaque_callback_data and it is one of ours (a UUID). */
  messageId: string | undefined;
  status: MessageStatus;
  occurredAt: string;
  errorCode: number | undefined;
  errorMessage: string | undefined;
  /** Meta's error title alone, which the run report groups errors by. */
  errorTitle: string | undefined;
  /** What Meta bills for the message, from the status's `pricing` object (sent and delivered carry one). */
  pricing: MessagePricing | undefined;
}

export interface MessagePricing {
  billable?: boolean | undefined;
  /** Meta's lowercase category: marketing, utility, authentication, service. */
  category?: string | undefined;
  pricingModel?: string | undefined;
}

export interface StatusStore {
  /**
   * Applies a batch of status notifications in one statement. Returns, per input in order, whether its
   * message was found (found ones are settled even when the status changes nothing), and the runs touched.
   * Pricing is kept whenever a status carries it, even one that arrives after a later status.
   */
  apply(
    updates: readonly StatusUpdate[],
  ): Promise<{ found: boolean[]; runIds: string[]; moved: Partial<Record<MessageStatus, number>> }>;
}

export interface ExpiredMessage {
  id: string;
  runId: string;
  attempts: number;
}

export interface DeadLetter {
  messageId: string;
  runId: string;
  attempts: number;
  code: number;
  message: string;
  failedAt: Date;
}

/** What reconciliation reads and repairs: unknown outcomes, dead letters waiting to be announced, old rate slots. */
export interface ReconciliationStore {
  /** SENDING messages whose lease ran out before `before` and that still have attempts left. */
  expiredUnknown(options: { before: Date; maxAttempts: number; limit: number }): Promise<ExpiredMessage[]>;
  /** True for the one caller, across replicas, that may start a `reason` pass now: none started within `gapMs`. */
  claimRecoveryPass(reason: string, gapMs: number): Promise<boolean>;
  /**
   * PENDING messages of open runs that wait for a send window which opened by `now`, a page at a time,
   * with the instant each was due (so a release queued twice is dropped as a duplicate).
   */
  openedWindows(options: { now: Date; limit: number }): Promise<Array<{ id: string; runId: string; dueAt: Date }>>;
  /** PENDING messages of fanned-out open runs, in id order, a page at a time. */
  pendingOfOpenRuns(options: {
    afterId: string | undefined;
    limit: number;
  }): Promise<Array<{ id: string; runId: string }>>;
  /** Unknown outcomes that used their last attempt: FAILED, dead-lettered, never resent. Returns their runs. */
  failExhaustedUnknown(options: { before: Date; maxAttempts: number }): Promise<string[]>;
  pendingDeadLetters(limit: number): Promise<DeadLetter[]>;
  clearDeadLetters(ids: readonly string[]): Promise<void>;
  pruneRateSlots(options: { slotMs: number; olderThanMs: number }): Promise<void>;
  /** Forgets the leases none of whose messages is still SENDING under them: they can no longer run out. */
  pruneLeases(): Promise<void>;
}

export interface StatusProgress {
  /** The WHATSAPP stream's last sequence when asked. */
  lastSeq: number;
  /** The status consumer has acknowledged everything up to here. */
  ackFloor: number;
  /** Nothing waits for or sits in the status consumer. */
  idle: boolean;
}

/** How far the status consumer has read, so reconciliation never resends ahead of a status still in the stream. */
export interface StatusProgressSource {
  read(): Promise<StatusProgress>;
}

export type BreakerState = 'closed' | 'half_open' | 'open';

/** The Cloud API circuit breaker as sending sees it. */
export interface CloudApiCircuit {
  state(): BreakerState;
  /** Resolves once the breaker is not open (at once while it is not), or when `signal` aborts. */
  untilSendable(signal: AbortSignal): Promise<void>;
}

/** Something that can keep sending waiting, and says why while it does. */
export interface SendingBlocker {
  waitingReason(): Promise<string | undefined>;
  /** What the operator must see now: the hold this blocker knows of, by kind; none while sending is free. */
  alerts(): Promise<SendingAlert[]>;
}

export interface SendingAlert {
  kind: 'breaker_open' | 'tier_limit' | 'account_error' | 'sender_unavailable' | 'template_paused';
  message: string;
}

/** Sending across every run, as the operator's overview shows it. */
export interface SendingActivity {
  /** Messages created in the last 24 hours, by their status now. */
  messagesLastDay(): Promise<Array<{ status: string; count: number }>>;
  /** Messages Meta accepted in each of the last 60 minutes, oldest first, empty minutes included. */
  sendsLastHour(): Promise<Array<{ minute: Date; count: number }>>;
  /** A run's sends per minute from its first to its last, empty minutes included, at most `limit` minutes. */
  runSendsPerMinute(runId: string, limit: number): Promise<Array<{ minute: Date; count: number }>>;
}

/** What the dispatcher sends through one number now (DispatchQuery.GetSenderActivity). */
export interface SenderActivity {
  phoneNumberId: string;
  sentLastMinute: number;
  peakPerSecond: number;
  pending: number;
  sending: number;
  /** The rate in force: the projection's mps, else the configured default; 0 when the dispatcher does not limit. */
  mps: number;
  /** Why the number does not send now; undefined when it sends. */
  heldReason: string | undefined;
  recipientsLastDay: number;
  /** 0: unlimited. */
  messagingLimit: number;
}

export interface SenderActivityQuery {
  /** Per number of `phoneNumberIds`, or of every number the dispatcher knows (the projection and the default) when empty. */
  activity(phoneNumberIds: readonly string[]): Promise<SenderActivity[]>;
  /** PENDING messages of open runs a number or a template holds, by reason. */
  heldCounts(): Promise<Partial<Record<HeldReason, number>>>;
}

/** A message a customer sent, as the webhook-service read it from Meta's inbound webhook. */
export interface InboundMessage {
  /** Meta's id of the customer's message: Meta re-delivers, this keeps one copy. */
  wamid: string;
  phone: string;
  phoneNumberId: string;
  type: string;
  text: string | undefined;
  payload: string | undefined;
  /** Meta's context.id: the wamid of the message this one answers. */
  contextWamid: string | undefined;
  profileName: string | undefined;
  receivedAt: Date;
}

/** An inbound message as stored, with the campaign message it answers when that message is ours. */
export interface StoredReply extends InboundMessage {
  messageId: string | undefined;
  runId: string | undefined;
  campaignId: string | undefined;
  contactId: string | undefined;
  /** message.replied has been published for it (only a reply to a campaign message has one). */
  eventPublished: boolean;
}

export interface ReplyStore {
  /**
   * Stores the inbound message once per wamid, linked to the message whose wamid is its context, and
   * flags that message replied (its status does not move). Returns the stored row, new or already there.
   * With `linkedOnly`, a message whose context names no message of ours is not stored (undefined).
   */
  record(message: InboundMessage, options: { linkedOnly: boolean }): Promise<StoredReply | undefined>;
  markPublished(wamid: string): Promise<void>;
}

/** Announces a reply to a campaign message (message.replied). */
export interface ReplyEvents {
  replied(reply: StoredReply & { messageId: string; runId: string; campaignId: string }): Promise<void>;
}

/** One entry of a contact's conversation: a campaign message sent, or a message the contact sent. */
export type ConversationEntry =
  | {
      direction: 'outbound';
      id: string;
      at: Date;
      /** Where the entry sits in the conversation's order (a page token names it). */
      position: TimeCursor;
      runId: string;
      campaignId: string;
      templateName: string;
      status: MessageStatus;
      wamid: string | undefined;
      sentAt: Date | undefined;
      deliveredAt: Date | undefined;
      readAt: Date | undefined;
      failedAt: Date | undefined;
      repliedAt: Date | undefined;
    }
  | {
      direction: 'inbound';
      id: string;
      at: Date;
      position: TimeCursor;
      type: string;
      text: string | undefined;
      payload: string | undefined;
      /** Our message this one answers, when its context named one. */
      inReplyTo: string | undefined;
      runId: string | undefined;
      campaignId: string | undefined;
    };

/** Where a page of a time-ordered listing ends: the last entry's time and id. */
export interface TimeCursor {
  at: Date;
  id: string;
}

export interface ReplyReport {
  runId: string;
  /** Campaign messages of the run that got at least one reply. */
  replied: number;
  /** Replies that carried a quick-reply or interactive payload, counted per payload, largest first. */
  byButton: Array<{ payload: string; text: string; count: number }>;
}

export interface ReplyQueries {
  /** A contact's messages both ways (by contact id, or by phone for what the contact sent), oldest first. */
  conversation(options: {
    contactId: string;
    phone: string;
    after: TimeCursor | undefined;
    limit: number;
  }): Promise<ConversationEntry[]>;
  /** Inbound messages, oldest first, of one campaign when given, received at or after `since`. */
  replies(options: {
    campaignId: string | undefined;
    since: Date | undefined;
    after: TimeCursor | undefined;
    limit: number;
  }): Promise<StoredReply[]>;
  reports(runIds: readonly string[]): Promise<ReplyReport[]>;
}

/** A message whose last answer from Meta was 131049 (per-user marketing limit) and that is FAILED for now. */
export interface MarketingLimitedMessage {
  id: string;
  runId: string;
  /** How many times the marketing-limit schedule has already tried it again. */
  retries: number;
}

export interface MarketingLimitDeferral {
  id: string;
  /** The retries the decision was made on: a message that moved on meanwhile is left alone. */
  retries: number;
  nextAttemptAt: Date;
}

/** Where messages refused for Meta's per-user marketing limit wait for their next attempt. */
export interface MarketingLimitStore {
  /** The FAILED messages among these (by our id or by wamid) whose last error is 131049. */
  limited(keys: { ids: readonly string[]; wamids: readonly string[] }): Promise<MarketingLimitedMessage[]>;
  /**
   * FAILED (131049) → PENDING, due at `nextAttemptAt`, with one more marketing-limit retry counted and the
   * attempt refunded, so the wait never spends the ordinary retry budget. Meta's code and title stay on
   * the message while it waits. Returns the messages moved.
   */
  defer(deferrals: readonly MarketingLimitDeferral[]): Promise<Array<{ id: string; runId: string }>>;
}
