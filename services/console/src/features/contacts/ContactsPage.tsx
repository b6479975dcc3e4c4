import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client.ts';
import { useDebounced } from '../../app/debounce.ts';
import { Empty, ErrorNotice } from '../../app/ErrorNotice.tsx';
import { DataTable, RowAction } from '../../app/DataTable.tsx';
import { usePaged } from '../../app/paging.tsx';
import { Link } from '../../app/router.tsx';
import { useCan } from '../../app/session.tsx';
import { ConditionEditor } from '../audience/ConditionEditor.tsx';
import { toWhere, type DraftCondition } from '../audience/conditions.ts';
import { uploadContacts, type ImportResult } from './upload.ts';

type Contact = ResponseOf<'/v1/contacts', 'get'>['items'][number];

export function ContactsPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState({ search: '', tag: '' });
  const [draft, setDraft] = useState(filters);
  const [conditions, setConditions] = useState<DraftCondition[]>([]);
  const where = useDebounced(toWhere(conditions).where, 300);
  // The contacts list takes a tag and a search only: with conditions, the audience preview answers
  // instead, with its count and first contacts (those a campaign would message now).
  const matching = useQuery({
    queryKey: ['contacts-matching', where, filters.tag],
    enabled: where.length > 0,
    queryFn: () =>
      unwrap(
        api.POST('/v1/audiences/preview', {
          body: { audience: { tags: filters.tag ? [filters.tag] : [], where } },
        }),
      ),
  });
  const { query: contacts, pager } = usePaged(['contacts', filters], (cursor) =>
    unwrap(
      api.GET('/v1/contacts', {
        params: {
          query: {
            limit: 50,
            ...(filters.search ? { search: filters.search } : {}),
            ...(filters.tag ? { tag: filters.tag } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  );
  const preference = useMutation({
    mutationFn: ({ id, optOut }: { id: string; optOut: boolean }) =>
      optOut
        ? unwrap(api.POST('/v1/contacts/{id}/opt-out', { params: { path: { id } } }))
        : unwrap(api.POST('/v1/contacts/{id}/opt-in', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      await queryClient.invalidateQueries({ queryKey: ['contacts-matching'] });
    },
  });
  const columns = [
    {
      header: 'Phone',
      cell: (contact: Contact) => <Link to={`/contacts/${contact.id}`}>{contact.phone}</Link>,
    },
    { header: 'Name', cell: (contact: Contact) => contact.name ?? '' },
    { header: 'Tags', cell: (contact: Contact) => contact.tags.join(', ') },
    {
      header: 'Messaging',
      cell: (contact: Contact) => (
        <>
          {contact.optedOut ? 'opted out' : 'allowed'}{' '}
          {can.write ? (
            <RowAction
              label={contact.optedOut ? 'Opt in' : 'Opt out'}
              of={contact.phone}
              onClick={() => preference.mutate({ id: contact.id, optOut: !contact.optedOut })}
            />
          ) : null}
        </>
      ),
    },
  ];
  const search = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ search: draft.search.trim(), tag: draft.tag.trim() });
  };

  return (
    <section>
      <h1>Contacts</h1>
      {can.write ? <Upload onDone={() => void queryClient.invalidateQueries({ queryKey: ['contacts'] })} /> : null}
      <form className="filters" onSubmit={search} role="search">
        <label htmlFor="contact-search">Name or phone</label>
        <input
          id="contact-search"
          value={draft.search}
          onChange={(event) => setDraft({ ...draft, search: event.target.value })}
        />
        <label htmlFor="contact-tag">Tag</label>
        <input
          id="contact-tag"
          value={draft.tag}
          onChange={(event) => setDraft({ ...draft, tag: event.target.value })}
        />
        <button type="submit">Search</button>
      </form>
      <ConditionEditor value={conditions} onChange={setConditions} />
      <ErrorNotice error={contacts.error ?? preference.error ?? matching.error} />
      {where.length > 0 ? (
        <Matching
          preview={matching.data}
          pending={matching.isFetching}
          columns={columns}
          searched={filters.search !== ''}
        />
      ) : (
        <>
          {contacts.data && contacts.data.items.length === 0 ? (
            <Empty>
              No contacts{filters.search || filters.tag ? ' match' : ' yet'}.{' '}
              {can.write ? 'Upload a CSV with a phone column (name, tags and any other columns are optional).' : ''}
            </Empty>
          ) : null}
          {contacts.data && contacts.data.items.length > 0 ? (
            <DataTable label="Contacts" rows={contacts.data.items} rowKey={(contact) => contact.id} columns={columns} />
          ) : null}
          {pager}
        </>
      )}
    </section>
  );
}

/** Contacts matching the conditions, from the audience preview: its count and its first ten. */
function Matching(props: {
  preview: ResponseOf<'/v1/audiences/preview', 'post'> | undefined;
  pending: boolean;
  columns: { header: string; cell: (contact: Contact) => React.ReactNode }[];
  searched: boolean;
}) {
  if (!props.preview) return <p className="loading">Counting…</p>;
  const { count, sample, excluded } = props.preview;
  return (
    <div aria-live="polite">
      <p className="count">
        <strong>{count}</strong> contacts match the conditions and would be messaged now
        {excluded.optedOut > 0 ? ` (${excluded.optedOut} more are opted out)` : ''}
        {props.pending ? ' (updating…)' : ''}.
      </p>
      <p className="hint">
        The contacts list filters by tag and name or phone only, so with conditions these are the first {sample.length}{' '}
        of them from the audience preview{props.searched ? '; the name or phone search is not applied' : ''}.
      </p>
      {sample.length === 0 ? (
        <Empty>No contact matches: loosen a condition or check the attribute&apos;s name.</Empty>
      ) : (
        <DataTable label="Contacts" rows={sample} rowKey={(contact) => contact.id} columns={props.columns} />
      )}
    </div>
  );
}

function Upload({ onDone }: { onDone: () => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadContacts(file, setProgress),
    onSuccess: onDone,
    onSettled: () => setProgress(null),
  });
  return (
    <fieldset>
      <legend>Upload a CSV</legend>
      <label htmlFor="contact-file">
        CSV file (a header row with phone; name, tags separated by ;, other columns become attributes)
      </label>
      <input
        id="contact-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) upload.mutate(file);
          event.target.value = '';
        }}
      />
      {progress !== null ? (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)} %
        </progress>
      ) : null}
      <ErrorNotice error={upload.error} />
      {upload.data ? <ImportSummary result={upload.data} /> : null}
    </fieldset>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  return (
    <div aria-live="polite">
      <p>
        {result.imported} imported, {result.updated} updated, {result.rejectedCount} rejected
        {result.rejectedCount > result.rejected.length ? ` (the first ${result.rejected.length} are listed)` : ''}.
      </p>
      {result.rejected.length > 0 ? (
        <DataTable
          label="Rejected rows"
          rows={result.rejected}
          rowKey={(row) => String(row.line)}
          columns={[
            { header: 'Line', cell: (row) => row.line },
            { header: 'Reason', cell: (row) => row.reason },
          ]}
        />
      ) : null}
    </div>
  );
}
