import type { EventDefinition, PayloadOf } from '@ektola/platform/events';
import type { CampaignStatus } from './campaign-state.ts';
import type { Campaign, Contact, Run } from './model.ts';

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
  /** The campaign's runs that are still REQUESTED, locked. */
  lockOpenRuns(campaignId: string): Promise<Run[]>;
  markCancelled(id: string, at: Date): Promise<Run>;
}

export interface CampaignBook {
  lock(id: string): Promise<Campaign | undefined>;
  setStatus(id: string, status: CampaignStatus): Promise<Campaign>;
}

export interface TransactionScope {
  contacts: ContactBook;
  runs: RunBook;
  campaigns: CampaignBook;
  outbox: EventOutbox;
}

/** One database transaction: all of the work commits, with its outbox events, or none of it does. */
export interface Transactions {
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
