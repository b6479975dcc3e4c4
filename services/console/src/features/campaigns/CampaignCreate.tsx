import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { useDebounced } from '../../app/debounce.ts';
import { ErrorNotice } from '../../app/ErrorNotice.tsx';
import { ConditionEditor } from '../audience/ConditionEditor.tsx';
import { toDraft, toWhere, type Condition, type DraftCondition } from '../audience/conditions.ts';
import { navigate } from '../../app/router.tsx';
import { useCampaign, useTemplates, type Campaign } from './queries.ts';
import { formatIn, previewRuns, wallClockInstant, wallClockOf } from './schedule-preview.ts';

type Recurrence = 'ONCE' | 'DAILY' | 'WEEKLY' | 'MONTHLY';
const steps = ['Template', 'Audience', 'Schedule', 'Review'] as const;

const tagsOf = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

export const CampaignCreate = () => <CampaignForm />;

/** A DRAFT or PAUSED campaign through the same steps; its audience's conditions and segment are kept. */
export function CampaignEdit({ id }: { id: string }) {
  const campaign = useCampaign(id);
  if (campaign.error) return <ErrorNotice error={campaign.error} />;
  if (!campaign.data) return <p className="loading">Loading…</p>;
  return <CampaignForm campaign={campaign.data} />;
}

/** Template → audience (with the live count) → schedule (the next five runs) → review, then create or save. */
function CampaignForm({ campaign }: { campaign?: Campaign }) {
  const [step, setStep] = useState(0);
  const [name, setName] = useState(campaign?.name ?? '');
  const [templateId, setTemplateId] = useState(campaign?.templateId ?? '');
  const [tagText, setTagText] = useState(campaign?.audience.tags.join(', ') ?? '');
  const [recurrence, setRecurrence] = useState<Recurrence>(campaign?.recurrence ?? 'ONCE');
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [timezone, setTimezone] = useState(campaign?.timezone ?? ownZone);
  const [start, setStart] = useState(() =>
    wallClockOf(campaign ? new Date(campaign.startAt) : new Date(Date.now() + 60 * 60 * 1000), timezone),
  );
  const [end, setEnd] = useState(() => (campaign?.endAt ? wallClockOf(new Date(campaign.endAt), timezone) : ''));
  const [conditions, setConditions] = useState<DraftCondition[]>(
    () => campaign?.audience.where?.map((condition) => toDraft(condition as Condition)) ?? [],
  );
  const { where: typedWhere, problems } = toWhere(conditions);
  const audienceOf = (tags: string[], where: Condition[]) =>
    campaign ? { ...campaign.audience, tags, where } : { tags, where };
  const templates = useTemplates();
  const template = templates.data?.items.find((item) => item.id === templateId);
  const tags = useDebounced(tagsOf(tagText), 300);
  const where = useDebounced(typedWhere, 300);

  const count = useQuery({
    queryKey: ['audience-preview', tags, where, templateId],
    enabled: step >= 1,
    queryFn: () =>
      unwrap(
        api.POST('/v1/audiences/preview', {
          body: { audience: audienceOf(tags, where), ...(templateId ? { templateId } : {}) },
        }),
      ),
  });

  const startAt = wallClockInstant(start, timezone);
  const endAt = end ? wallClockInstant(end, timezone) : undefined;
  const preview = previewRuns({ recurrence, timezone, startAt, endAt }, new Date());

  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name,
        templateId,
        audience: audienceOf(tagsOf(tagText), typedWhere),
        recurrence,
        timezone,
        startAt: startAt.toISOString(),
      };
      return campaign
        ? unwrap(
            api.PATCH('/v1/campaigns/{id}', {
              params: { path: { id: campaign.id } },
              body: { ...fields, endAt: endAt?.toISOString() ?? null },
            }),
          )
        : unwrap(api.POST('/v1/campaigns', { body: { ...fields, ...(endAt ? { endAt: endAt.toISOString() } : {}) } }));
    },
    onSuccess: (saved) => navigate(`/campaigns/${saved.id}`),
  });

  const conditionsReady = problems.every((problem) => problem === null);
  const canContinue = [name.trim() !== '' && templateId !== '', conditionsReady, preview.ok, true][step];

  return (
    <section>
      <h1>{campaign ? `Edit ${campaign.name}` : 'New campaign'}</h1>
      <ol className="steps" aria-label="Steps">
        {steps.map((label, index) => (
          <li key={label} aria-current={index === step ? 'step' : undefined}>
            {index + 1}. {label}
          </li>
        ))}
      </ol>

      {step === 0 ? (
        <fieldset>
          <legend>Template</legend>
          <label htmlFor="campaign-name">Campaign name</label>
          <input id="campaign-name" value={name} onChange={(event) => setName(event.target.value)} />
          <label htmlFor="campaign-template">Template</label>
          <select id="campaign-template" value={templateId} onChange={(event) => setTemplateId(event.target.value)}>
            <option value="">Choose a template</option>
            {templates.data?.items.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({item.language}, {item.status})
              </option>
            ))}
          </select>
          {templates.data?.items.length === 0 ? (
            <p className="empty">No templates yet: sync them from Meta on the Templates page.</p>
          ) : null}
          {template && template.status !== 'APPROVED' ? (
            <p className="notice">
              This template is {template.status}: the campaign cannot be activated until Meta approves it.
            </p>
          ) : null}
          <ErrorNotice error={templates.error} />
        </fieldset>
      ) : null}

      {step === 1 ? (
        <fieldset>
          <legend>Audience</legend>
          <label htmlFor="campaign-tags">Tags (comma-separated; contacts with any of them, none for everyone)</label>
          <input id="campaign-tags" value={tagText} onChange={(event) => setTagText(event.target.value)} />
          <ConditionEditor value={conditions} onChange={setConditions} />
          <AudienceCount preview={count.data} pending={count.isFetching} />
          <ErrorNotice error={count.error} />
        </fieldset>
      ) : null}

      {step === 2 ? (
        <fieldset>
          <legend>Schedule</legend>
          <label htmlFor="campaign-recurrence">Recurrence</label>
          <select
            id="campaign-recurrence"
            value={recurrence}
            onChange={(event) => setRecurrence(event.target.value as Recurrence)}
          >
            {(['ONCE', 'DAILY', 'WEEKLY', 'MONTHLY'] as const).map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
          <label htmlFor="campaign-timezone">Time zone (IANA, such as Asia/Kolkata)</label>
          <input id="campaign-timezone" value={timezone} onChange={(event) => setTimezone(event.target.value)} />
          <label htmlFor="campaign-start">Start ({timezone})</label>
          <input
            id="campaign-start"
            type="datetime-local"
            value={start}
            onChange={(event) => setStart(event.target.value)}
          />
          <label htmlFor="campaign-end">End, optional ({timezone})</label>
          <input id="campaign-end" type="datetime-local" value={end} onChange={(event) => setEnd(event.target.value)} />
          <RunPreview preview={preview} timezone={timezone} />
        </fieldset>
      ) : null}

      {step === 3 ? (
        <fieldset>
          <legend>Review</legend>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{name}</dd>
            <dt>Template</dt>
            <dd>{template ? `${template.name} (${template.language})` : '—'}</dd>
            <dt>Audience</dt>
            <dd>
              {tagsOf(tagText).length > 0 ? `tags ${tagsOf(tagText).join(', ')}` : 'every contact'}
              {typedWhere.length > 0 ? ` where ${describeWhere(typedWhere)}` : ''} ·{' '}
              {count.data ? `${count.data.count} contacts now` : '…'}
            </dd>
            <dt>Schedule</dt>
            <dd>
              {recurrence} in {timezone}
            </dd>
          </dl>
          <RunPreview preview={preview} timezone={timezone} />
          <p>
            {campaign
              ? `Saving keeps the campaign ${campaign.status}.`
              : 'The campaign is created as a draft; activate it on its page.'}
          </p>
          <button type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            {campaign ? 'Save changes' : 'Create campaign'}
          </button>
          <ErrorNotice error={save.error} />
        </fieldset>
      ) : null}

      <div className="actions">
        <button type="button" disabled={step === 0} onClick={() => setStep(step - 1)}>
          Back
        </button>
        {step < steps.length - 1 ? (
          <button type="button" disabled={!canContinue} onClick={() => setStep(step + 1)}>
            Next: {steps[step + 1]}
          </button>
        ) : null}
      </div>
    </section>
  );
}

const describeWhere = (where: Condition[]) =>
  where.map((condition) => `${condition.field} ${condition.op} ${JSON.stringify(condition.value)}`).join(' and ');

function AudienceCount(props: {
  preview: { count: number; excluded: { optedOut: number; missingValue: number } } | undefined;
  pending: boolean;
}) {
  return (
    <p className="count" aria-live="polite">
      {props.preview ? (
        <>
          <strong>{props.preview.count}</strong> contacts would be messaged now
          {props.preview.excluded.optedOut > 0 ? `; ${props.preview.excluded.optedOut} opted out` : ''}
          {props.preview.excluded.missingValue > 0
            ? `; ${props.preview.excluded.missingValue} missing a template value`
            : ''}
          {props.pending ? ' (updating…)' : ''}
        </>
      ) : (
        'Counting…'
      )}
    </p>
  );
}

function RunPreview({ preview, timezone }: { preview: ReturnType<typeof previewRuns>; timezone: string }) {
  if (!preview.ok)
    return (
      <p role="alert" className="notice error">
        {preview.problem}
      </p>
    );
  return (
    <div>
      <h2>Next runs</h2>
      <ol className="runs-preview">
        {preview.runs.map((run) => (
          <li key={run.toISOString()}>
            {formatIn(run, timezone)} ({timezone})
            {timezone !== Intl.DateTimeFormat().resolvedOptions().timeZone
              ? ` · ${run.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} your time`
              : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
