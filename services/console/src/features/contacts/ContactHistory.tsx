import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client.ts';
import { DataTable, Status } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { usePaged } from '../../app/paging.tsx';
import { Link } from '../../app/router.tsx';

type Entry = ResponseOf<'/v1/contacts/{id}/conversation', 'get'>['items'][number];

/** What an entry says: the template a campaign sent, or what the contact wrote or pressed. */
function said(entry: Entry) {
  if (entry.direction === 'outbound') return entry.templateName ?? '';
  return entry.text ?? entry.payload ?? entry.type ?? '';
}

/**
 * A contact and its messages both ways, oldest first, 50 at a time: the campaign messages it was sent
 * with their status and run, and what it sent back.
 */
export function ContactHistory({ id }: { id: string }) {
  const contact = useQuery({
    queryKey: ['contact', id],
    queryFn: () => unwrap(api.GET('/v1/contacts/{id}', { params: { path: { id } } })),
  });
  const { query: conversation, pager } = usePaged(['contact-conversation', id], (cursor) =>
    unwrap(
      api.GET('/v1/contacts/{id}/conversation', {
        params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  const items = conversation.data?.items;
  return (
    <section>
      <p>
        <Link to="/contacts">← Contacts</Link>
      </p>
      <h1>{contact.data ? `${contact.data.name ?? 'Contact'} ${contact.data.phone}` : 'Contact'}</h1>
      <ErrorNotice error={contact.error ?? conversation.error} />
      {contact.data ? (
        <p>
          {contact.data.tags.length > 0 ? `Tags: ${contact.data.tags.join(', ')} · ` : ''}
          {contact.data.optedOut ? 'opted out' : 'messaging allowed'}
        </p>
      ) : null}
      <h2>Message history</h2>
      {items && items.length === 0 ? (
        <Empty>No message was sent to or received from this contact yet; campaigns that reach it appear here.</Empty>
      ) : null}
      {items && items.length > 0 ? (
        <DataTable
          label="Message history"
          rows={items}
          rowKey={(entry) => `${entry.direction}-${entry.id}`}
          columns={[
            { header: 'When', cell: (entry) => <When at={entry.at} /> },
            { header: 'Direction', cell: (entry) => (entry.direction === 'outbound' ? 'Sent' : 'Received') },
            { header: 'Message', cell: said },
            {
              header: 'Status',
              cell: (entry) => (entry.status ? <Status status={entry.status} /> : entry.replied ? 'replied' : ''),
            },
            {
              header: 'Run',
              cell: (entry) => (entry.runId ? <Link to={`/runs/${entry.runId}`}>Open run</Link> : ''),
            },
          ]}
        />
      ) : null}
      {pager}
    </section>
  );
}
