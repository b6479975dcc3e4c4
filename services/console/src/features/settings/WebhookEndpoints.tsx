import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { DataTable, RowAction, Status } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';

type EventType = paths['/v1/webhook-endpoints']['post']['requestBody']['content']['application/json']['events'][number];

/** Every event a client may subscribe to, with what it means (ping is sent by the test button only). */
const eventMeanings: Record<Exclude<EventType, 'ping'>, string> = {
  'message.sent': 'Meta accepted a message',
  'message.delivered': 'a message reached the phone',
  'message.read': 'a message was read',
  'message.failed': 'a message failed',
  'message.skipped': 'a message was not sent (opted out, capped, blocked)',
  'message.replied': 'a contact replied',
  'run.completed': 'a run finished',
  'contact.opted_out': 'a contact opted out',
  'contact.opted_in': 'a contact opted in',
  'template.status_changed': 'Meta approved, paused or rejected a template',
  'account.alert': 'the WhatsApp account needs attention',
};
const eventTypes = Object.keys(eventMeanings) as Exclude<EventType, 'ping'>[];

/**
 * Outbound webhooks (admin only, as the API says): subscribe a URL to events (its signing secret is
 * shown once), enable or disable it, send a test ping, see its recent deliveries, delete it.
 */
export function WebhookEndpoints() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>(['run.completed']);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints'],
    queryFn: () => unwrap(api.GET('/v1/webhook-endpoints', { params: { query: { limit: 100 } } })),
  });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhook-endpoints', { body: { url: url.trim(), events } })),
    onSuccess: () => {
      setUrl('');
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id } }, body: { enabled } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const ping = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/webhook-endpoints/{id}/test', { params: { path: { id } } })),
    onSuccess: (delivery) => {
      setOpen(delivery.endpointId);
      void queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', delivery.endpointId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const items = endpoints.data?.items;
  return (
    <>
      <h2>Webhook endpoints</h2>
      <form onSubmit={submit} aria-label="New webhook endpoint">
        <label htmlFor="endpoint-url">URL (https)</label>
        <input id="endpoint-url" value={url} onChange={(event) => setUrl(event.target.value)} required />
        <fieldset>
          <legend>Events</legend>
          <div className="filters">
            {eventTypes.map((type) => (
              <label key={type}>
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(event) =>
                    setEvents(event.target.checked ? [...events, type] : events.filter((item) => item !== type))
                  }
                />{' '}
                {type}: {eventMeanings[type]}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
      {create.data ? (
        <div className="notice" aria-live="polite">
          <p>
            The signing secret of {create.data.url}, shown this once: <code>{create.data.secret}</code>
          </p>
        </div>
      ) : null}
      <ErrorNotice error={endpoints.error ?? create.error ?? toggle.error ?? remove.error ?? ping.error} />
      {items && items.length === 0 ? (
        <Empty>No webhook endpoints: add a URL to receive message, run and contact events as they happen.</Empty>
      ) : null}
      {items && items.length > 0 ? (
        <DataTable
          label="Webhook endpoints"
          rows={items}
          rowKey={(endpoint) => endpoint.id}
          columns={[
            { header: 'URL', cell: (endpoint) => <code>{endpoint.url}</code> },
            { header: 'Events', cell: (endpoint) => endpoint.events.join(', ') },
            {
              header: 'State',
              cell: (endpoint) =>
                endpoint.enabled
                  ? 'enabled'
                  : `disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}`,
            },
            {
              header: 'Actions',
              cell: (endpoint) => (
                <span className="actions">
                  <RowAction
                    label={endpoint.enabled ? 'Disable' : 'Enable'}
                    of={endpoint.url}
                    onClick={() => toggle.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
                  />
                  <button
                    type="button"
                    onClick={() => ping.mutate(endpoint.id)}
                    aria-label={`Send a test ping to ${endpoint.url}`}
                  >
                    Test ping
                  </button>
                  <button
                    type="button"
                    onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
                    aria-label={`Deliveries of ${endpoint.url}`}
                    aria-expanded={open === endpoint.id}
                  >
                    Deliveries
                  </button>
                  <RowAction label="Delete" of={endpoint.url} onClick={() => remove.mutate(endpoint.id)} danger />
                </span>
              ),
            },
          ]}
        />
      ) : null}
      {open ? <Deliveries id={open} url={items?.find((endpoint) => endpoint.id === open)?.url ?? ''} /> : null}
    </>
  );
}

/** An endpoint's 20 most recent deliveries with their last attempt. */
function Deliveries({ id, url }: { id: string; url: string }) {
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', id],
    queryFn: () =>
      unwrap(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id }, query: { limit: 20 } } })),
  });
  const items = deliveries.data?.items;
  return (
    <>
      <h3>Recent deliveries to {url}</h3>
      <ErrorNotice error={deliveries.error} />
      {items && items.length === 0 ? <Empty>Nothing delivered yet: send a test ping.</Empty> : null}
      {items && items.length > 0 ? (
        <DataTable
          label="Webhook deliveries"
          rows={items}
          rowKey={(delivery) => delivery.id}
          columns={[
            { header: 'Created', cell: (delivery) => <When at={delivery.createdAt} /> },
            { header: 'Event', cell: (delivery) => delivery.eventType },
            { header: 'Status', cell: (delivery) => <Status status={delivery.status} /> },
            { header: 'Attempts', cell: (delivery) => delivery.attempts.length },
            {
              header: 'Last answer',
              cell: (delivery) => {
                const last = delivery.attempts.at(-1);
                if (!last) return delivery.nextAttemptAt ? 'waiting' : '';
                return `${last.httpStatus ?? last.error ?? 'no answer'} in ${last.latencyMs} ms`;
              },
            },
          ]}
        />
      ) : null}
    </>
  );
}
