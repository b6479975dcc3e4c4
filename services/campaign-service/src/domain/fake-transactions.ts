import type { GuardrailSettings } from './guardrails.ts';
import type { EventDefinition } from '@ektola/platform/events';
import type { Campaign, Contact, Run, Template } from './model.ts';
import type { SenderBook, TransactionScope, Transactions } from './ports.ts';
import type { Sender } from './sender.ts';

/** In-memory Transactions for the use cases' unit tests: work that throws leaves no change and no event. */
export function fakeTransactions(
  seed: { contacts?: Contact[]; runs?: Run[]; campaigns?: Campaign[]; senders?: Sender[] } = {},
) {
  let contacts = new Map((seed.contacts ?? []).map((contact) => [contact.id, contact]));
  let runs = new Map((seed.runs ?? []).map((run) => [run.id, run]));
  let campaigns = new Map((seed.campaigns ?? []).map((campaign) => [campaign.id, campaign]));
  let senders = new Map((seed.senders ?? []).map((sender) => [sender.id, sender]));
  const committed: Array<{ event: string; payload: unknown }> = [];
  let nextId = 1;

  const transactions: Transactions = {
    async run(work) {
      const before = {
        contacts: new Map(contacts),
        runs: new Map(runs),
        campaigns: new Map(campaigns),
        senders: new Map(senders),
      };
      const written: Array<{ event: string; payload: unknown }> = [];
      const scope: TransactionScope = {
        contacts: {
          lock: async (id) => contacts.get(id),
          lockByPhones: async (phones) => [...contacts.values()].filter((contact) => phones.includes(contact.phone)),
          async recordPreference(id, { optedOut, reason, at }) {
            const updated = {
              ...contacts.get(id)!,
              optedOut,
              optedOutAt: optedOut ? at : null,
              optOutReason: optedOut ? reason : null,
              preferenceChangedAt: at,
            };
            contacts.set(id, updated);
            return updated;
          },
          async addOptedOut(phone, reason, at) {
            const contact = {
              ...contactOf(`placeholder-${nextId++}`, phone),
              optedOut: true,
              optedOutAt: at,
              optOutReason: reason,
              preferenceChangedAt: at,
            };
            contacts.set(contact.id, contact);
            return contact;
          },
          remove: async (id) => void contacts.delete(id),
        },
        runs: {
          lock: async (id) => runs.get(id),
          findForPeriod: async (campaignId, periodKey) =>
            [...runs.values()].find((run) => run.campaignId === campaignId && run.periodKey === periodKey),
          async add(fields) {
            const run: Run = {
              ...fields,
              id: `run-${nextId++}`,
              status: 'REQUESTED',
              counts: null,
              createdAt: new Date(0),
              completedAt: null,
              cancelledAt: null,
            };
            runs.set(run.id, run);
            return run;
          },
          lockOpenRuns: async (campaignId) =>
            [...runs.values()].filter((run) => run.campaignId === campaignId && run.status === 'REQUESTED'),
          async markCancelled(id, at) {
            const updated = { ...runs.get(id)!, status: 'CANCELLED' as const, cancelledAt: at };
            runs.set(id, updated);
            return updated;
          },
        },
        campaigns: {
          lock: async (id) => campaigns.get(id),
          async setStatus(id, status) {
            const current = campaigns.get(id)!;
            const updated =
              status === 'PAUSED' ? { ...current, status } : { ...current, status, pausedBy: null, pausedReason: null };
            campaigns.set(id, updated);
            return updated;
          },
          async pause(id, pause) {
            const updated = {
              ...campaigns.get(id)!,
              status: 'PAUSED' as const,
              pausedBy: pause.by,
              pausedReason: pause.reason,
            };
            campaigns.set(id, updated);
            return updated;
          },
          lockUsingTemplate: async (templateId, statuses) =>
            [...campaigns.values()].filter(
              (campaign) => campaign.templateId === templateId && statuses.includes(campaign.status),
            ),
          async edit(id, fields) {
            const updated = { ...campaigns.get(id)!, ...fields };
            campaigns.set(id, updated);
            return updated;
          },
          async recordAudienceEstimate(id, estimate) {
            campaigns.set(id, { ...campaigns.get(id)!, ...estimate });
          },
          lastRun: async (id) =>
            [...runs.values()]
              .filter((run) => run.campaignId === id)
              .sort((a, b) => b.scheduledFor.getTime() - a.scheduledFor.getTime())
              .map((run) => ({ periodKey: run.periodKey, scheduledFor: run.scheduledFor }))[0] ?? null,
        },
        senders: fakeSenderBook(
          () => senders,
          campaigns,
          () => `sender-${nextId++}`,
        ),
        outbox: {
          add: async (event: EventDefinition, payload: unknown) =>
            void written.push({ event: `${event.name}.v${event.version}`, payload }),
        },
      };
      try {
        const result = await work(scope);
        committed.push(...written);
        return result;
      } catch (error) {
        ({ contacts, runs, campaigns, senders } = before);
        throw error;
      }
    },
  };
  return {
    transactions,
    events: committed,
    contact: (id: string) => contacts.get(id),
    run: (id: string) => runs.get(id),
    campaign: (id: string) => campaigns.get(id),
    sender: (id: string) => senders.get(id),
  };
}

function fakeSenderBook(
  senders: () => Map<string, Sender>,
  campaigns: ReadonlyMap<string, Campaign>,
  newId: () => string,
): SenderBook {
  return {
    lock: async (id) => senders().get(id),
    lockByPhoneNumberId: async (phoneNumberId) =>
      [...senders().values()].find((sender) => sender.phoneNumberId === phoneNumberId),
    lockMatching: async (wabaId, display) =>
      [...senders().values()].filter(
        (sender) =>
          (sender.wabaId === wabaId || sender.wabaId === null) &&
          (display === undefined || sender.displayPhoneNumber === display),
      ),
    async add(draft) {
      if ([...senders().values()].some((sender) => sender.phoneNumberId === draft.phoneNumberId)) return undefined;
      const sender = senderOf(newId(), { ...draft, version: 1 });
      senders().set(sender.id, sender);
      return sender;
    },
    async change(id, change) {
      const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
      const current = senders().get(id)!;
      const updated = { ...current, ...defined, version: current.version + 1 };
      senders().set(id, updated);
      return updated;
    },
    async markRefreshed(id, at) {
      const updated = { ...senders().get(id)!, refreshedAt: at };
      senders().set(id, updated);
      return updated;
    },
    async makeDefault(id) {
      for (const sender of senders().values()) senders().set(sender.id, { ...sender, isDefault: sender.id === id });
      return senders().get(id)!;
    },
    async clearDefault() {
      for (const sender of senders().values()) senders().set(sender.id, { ...sender, isDefault: false });
    },
    remove: async (id) => void senders().delete(id),
    ofIds: async (ids) => ids.flatMap((id) => senders().get(id) ?? []),
    findDefault: async () => [...senders().values()].find((sender) => sender.isDefault),
    openCampaignsUsing: async (id) =>
      [...campaigns.values()]
        .filter((campaign) => campaign.senders.includes(id) && ['DRAFT', 'ACTIVE', 'PAUSED'].includes(campaign.status))
        .map((campaign) => campaign.name),
  };
}

export const senderOf = (id: string, overrides: Partial<Sender> = {}): Sender => ({
  id,
  phoneNumberId: `pn-${id}`,
  wabaId: 'waba-1',
  portfolioId: null,
  label: null,
  displayPhoneNumber: '15550000001',
  verifiedName: 'EkTola Test',
  qualityRating: 'GREEN',
  throughputLevel: 'STANDARD',
  metaMps: 80,
  messagingLimitTier: 'TIER_2K',
  messagingLimit: 2_000,
  nameStatus: 'APPROVED',
  metaStatus: 'CONNECTED',
  enabled: true,
  mpsCap: null,
  state: 'ACTIVE',
  stateReason: null,
  stateChangedAt: null,
  isDefault: false,
  version: 1,
  refreshedAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

export const contactOf = (id: string, phone: string, overrides: Partial<Contact> = {}): Contact => ({
  id,
  phone,
  name: null,
  tags: [],
  attributes: {},
  optedOut: false,
  optedOutAt: null,
  optOutReason: null,
  preferenceChangedAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

/** No run re-targeted: the dispatcher is never asked and nothing is staged. */
export const noRecipientStaging = {
  dispatch: {
    runRecipients: () => {
      throw new Error('no audience here re-targets a run');
    },
    frequencyCapped: async (): Promise<string[]> => [],
  },
  recipientSets: {
    open: () => 'set-1',
    add: async () => undefined,
    discard: async () => undefined,
    discardOlderThan: async () => 0,
  },
};

/** Guardrails that exclude no one: no cap, no blocked calling code. */
export const noGuardrails = {
  guardrails: {
    current: async (): Promise<GuardrailSettings> => ({ frequencyCap: null, blockedCallingCodes: [], updatedAt: null }),
  },
};

export const campaignOf = (id: string, overrides: Partial<Campaign> = {}): Campaign => ({
  id,
  name: 'Payment reminder',
  templateId: 'template-1',
  status: 'DRAFT',
  recurrence: 'DAILY',
  timezone: 'UTC',
  startAt: new Date('2026-03-01T09:00:00Z'),
  endAt: null,
  audience: { tags: [], where: [] },
  sendWindow: null,
  senders: [],
  audienceCount: null,
  estimatedCost: null,
  lastRun: null,
  lastSkipped: null,
  pausedBy: null,
  pausedReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

export const templateOf = (id: string, overrides: Partial<Template> = {}): Template => ({
  id,
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Dear {{1}}, your payment is due.' }],
  variables: { 'body.1': { field: 'name', default: 'customer' } },
  metaTemplateId: null,
  rejectedReason: null,
  qualityScore: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

export const runOf = (id: string, overrides: Partial<Run> = {}): Run => ({
  id,
  campaignId: 'camp',
  templateId: 'template-1',
  periodKey: id,
  scheduledFor: new Date('2026-03-05T09:00:00Z'),
  status: 'REQUESTED',
  counts: null,
  createdAt: new Date('2026-03-05T09:00:00Z'),
  completedAt: null,
  cancelledAt: null,
  ...overrides,
});
