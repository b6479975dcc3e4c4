import { randomUUID } from 'node:crypto';
import type { RunTemplate } from '../src/domain/message-draft.ts';
import type { NewRun } from '../src/domain/ports.ts';

/** A template without placeholders: the stores' tests need a run's template, not its parameters. */
export const template: RunTemplate = {
  name: 'gold_loan_reminder',
  language: 'en',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [],
};

/** A run of the default number, with no senders or guardrails of its own. */
export const newRun = (): NewRun => ({
  id: randomUUID(),
  campaignId: randomUUID(),
  templateId: randomUUID(),
  phoneNumberId: 'number-1',
  senders: undefined,
  guardrails: undefined,
});
