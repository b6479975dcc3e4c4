import { hash } from 'node:crypto';
import { invalid } from '@ektola/platform/errors';
import { isKnownTimeZone } from '@ektola/platform/schedule';
import {
  sendComponentsBuilder,
  templateComponentsSchema,
  type ParameterFormat,
  type SendComponent,
  type SendComponentsBuilder,
  type TemplateComponent,
} from '@ektola/platform/templates';

export interface RunTemplate {
  name: string;
  language: string;
  /** MARKETING, UTILITY or AUTHENTICATION: the marketing guardrails apply to MARKETING only. */
  category: string;
  parameterFormat: ParameterFormat;
  components: TemplateComponent[];
}

export interface AudienceMember {
  contactId: string;
  phone: string;
  variables: Readonly<Record<string, string>>;
  /** The contact's `timezone` attribute, when it has one (not necessarily a valid zone). */
  timezone?: string | undefined;
}

export type MessageDraft = {
  id: string;
  contactId: string;
  phone: string;
  components: SendComponent[];
  /** The contact's IANA zone when it is a known one. */
  timezone: string | undefined;
} & (
  | { status: 'PENDING'; /** Held until the send window opens. */ notBefore?: Date }
  | { status: 'FAILED'; errorMessage: string }
);

const e164 = /^\+[1-9]\d{6,14}$/;

/**
 * The message id is derived from (run, contact), so a redelivered fan-out computes the same ids as the
 * first attempt: the insert finds them present and the send batches it queues carry the same msgIds.
 * The layout is a name-based (version 5 style) UUID.
 */
export function messageIdOf(runId: string, contactId: string): string {
  // The one-shot digest: a fan-out computes one per message, and a Hash object per call cost a third more.
  const digest = hash('sha1', `ektola.message:${runId}:${contactId}`, 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses the template the campaign-service returns; a template Meta would refuse is refused here. */
export function runTemplateOf(template: {
  name: string;
  language: string;
  category: string;
  parameterFormat: string;
  componentsJson: string;
}): RunTemplate {
  let json: unknown;
  try {
    json = JSON.parse(template.componentsJson);
  } catch {
    throw invalid(`template ${template.name} has components that are not JSON`, [
      { path: 'components_json', message: 'is not JSON' },
    ]);
  }
  const parsed = templateComponentsSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(
      `template ${template.name} has components Meta would refuse`,
      parsed.error.issues.map((issue) => ({ path: `components_json.${issue.path.join('.')}`, message: issue.message })),
    );
  }
  const components = parsed.data;
  return {
    name: template.name,
    language: template.language,
    category: template.category,
    parameterFormat: template.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components,
  };
}

/** Each run template's components builder, made at its first message: its placeholders are read once a run. */
const builders = new WeakMap<RunTemplate, SendComponentsBuilder>();

function componentsBuilderOf(template: RunTemplate): SendComponentsBuilder {
  let builder = builders.get(template);
  if (!builder) {
    builder = sendComponentsBuilder(template.components, template.parameterFormat);
    builders.set(template, builder);
  }
  return builder;
}

/**
 * One contact's message with its send components built now, once. A contact without a valid phone or
 * without a value for a placeholder gets a FAILED message with the reason, so the run accounts for
 * every member it was given instead of silently shrinking.
 */
export function draftMessage(runId: string, template: RunTemplate, member: AudienceMember): MessageDraft {
  const id = messageIdOf(runId, member.contactId);
  const timezone = member.timezone && isKnownTimeZone(member.timezone) ? member.timezone : undefined;
  const base = { id, contactId: member.contactId, phone: member.phone, timezone };
  if (!e164.test(member.phone)) {
    return { ...base, components: [], status: 'FAILED', errorMessage: 'the contact has no valid E.164 phone number' };
  }
  try {
    return {
      ...base,
      components: componentsBuilderOf(template)(member.variables),
      status: 'PENDING',
    };
  } catch (error) {
    return { ...base, components: [], status: 'FAILED', errorMessage: (error as Error).message };
  }
}
