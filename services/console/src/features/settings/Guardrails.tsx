import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { ErrorNotice, When } from '../../app/ErrorNotice.tsx';

/** The frequency cap: at most N MARKETING messages per contact per rolling window. Admins edit it, others read it. */
export function FrequencyCap({ editable }: { editable: boolean }) {
  const queryClient = useQueryClient();
  const cap = useQuery({
    queryKey: ['frequency-cap'],
    queryFn: () => unwrap(api.GET('/v1/settings/frequency-cap')),
  });
  const [draft, setDraft] = useState({ enabled: false, maxMessages: '', windowHours: '' });
  useEffect(() => {
    if (cap.data)
      setDraft({
        enabled: cap.data.enabled,
        maxMessages: cap.data.maxMessages === null ? '' : String(cap.data.maxMessages),
        windowHours: cap.data.windowHours === null ? '' : String(cap.data.windowHours),
      });
  }, [cap.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/settings/frequency-cap', {
          body: draft.enabled
            ? { enabled: true, maxMessages: Number(draft.maxMessages), windowHours: Number(draft.windowHours) }
            : { enabled: false },
        }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(['frequency-cap'], saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <h2>Frequency cap</h2>
      <ErrorNotice error={cap.error ?? save.error} />
      {cap.data ? (
        <p>
          {cap.data.enabled
            ? `At most ${cap.data.maxMessages} MARKETING messages per contact in any ${cap.data.windowHours} hours; more end SKIPPED (frequency_capped).`
            : 'Off: contacts may receive any number of MARKETING messages.'}{' '}
          {cap.data.updatedAt ? (
            <>
              Changed <When at={cap.data.updatedAt} />.
            </>
          ) : null}
        </p>
      ) : null}
      {editable && cap.data ? (
        <form onSubmit={submit} className="filters" aria-label="Frequency cap">
          <label htmlFor="cap-enabled">
            <input
              id="cap-enabled"
              type="checkbox"
              checked={draft.enabled}
              onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
            />{' '}
            Cap on
          </label>
          <label htmlFor="cap-max">Messages</label>
          <input
            id="cap-max"
            type="number"
            min={1}
            max={1000}
            disabled={!draft.enabled}
            value={draft.maxMessages}
            onChange={(event) => setDraft({ ...draft, maxMessages: event.target.value })}
          />
          <label htmlFor="cap-window">Per hours</label>
          <input
            id="cap-window"
            type="number"
            min={1}
            max={720}
            disabled={!draft.enabled}
            value={draft.windowHours}
            onChange={(event) => setDraft({ ...draft, windowHours: event.target.value })}
          />
          <button type="submit" disabled={save.isPending}>
            Save frequency cap
          </button>
        </form>
      ) : null}
    </>
  );
}

const codesOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((code) => code.replace(/^\+/, ''))
    .filter(Boolean);

/** The calling codes whose numbers receive no MARKETING templates. Admins edit them, others read them. */
export function RegionRules({ editable }: { editable: boolean }) {
  const queryClient = useQueryClient();
  const rules = useQuery({
    queryKey: ['region-rules'],
    queryFn: () => unwrap(api.GET('/v1/settings/region-rules')),
  });
  const [text, setText] = useState('');
  useEffect(() => {
    if (rules.data) setText(rules.data.blockedCallingCodes.join(', '));
  }, [rules.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/settings/region-rules', { body: { blockedCallingCodes: codesOf(text) } })),
    onSuccess: (saved) => queryClient.setQueryData(['region-rules'], saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <h2>Region rules</h2>
      <ErrorNotice error={rules.error ?? save.error} />
      {rules.data ? (
        <p>
          {rules.data.blockedCallingCodes.length > 0
            ? `No MARKETING templates to ${rules.data.blockedCallingCodes.map((code) => `+${code}`).join(', ')}; such messages end SKIPPED (region_blocked).`
            : 'MARKETING templates go to every country.'}
        </p>
      ) : null}
      {editable && rules.data ? (
        <form onSubmit={submit} className="filters" aria-label="Region rules">
          <label htmlFor="region-codes">Blocked calling codes (comma-separated, such as 1, 44)</label>
          <input id="region-codes" value={text} onChange={(event) => setText(event.target.value)} />
          <button type="submit" disabled={save.isPending}>
            Save region rules
          </button>
        </form>
      ) : null}
    </>
  );
}
