import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { DataTable, Status } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice } from '../../app/ErrorNotice.tsx';
import { useCan } from '../../app/session.tsx';
import { useTemplates, type Template } from '../campaigns/queries.ts';
import {
  mappableFields,
  previewBubble,
  type Bubble,
  type Mapping,
  type SampleContact,
  type Segment,
} from './placeholder-preview.ts';

const fallbackContact: SampleContact = { name: 'Asha', phone: '+919876500001', attributes: {} };

export function TemplatesPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const [selected, setSelected] = useState<string | null>(null);
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/templates/sync')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['templates'] }),
  });
  const template = templates.data?.items.find((item) => item.id === selected);
  return (
    <section>
      <div className="heading">
        <h1>Templates</h1>
        {can.admin ? (
          <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending}>
            Sync from Meta
          </button>
        ) : null}
      </div>
      {sync.data ? (
        <p aria-live="polite">
          Sync: {sync.data.created} new, {sync.data.updated} updated, {sync.data.skipped.length} skipped.
        </p>
      ) : null}
      <ErrorNotice error={templates.error ?? sync.error} />
      {templates.data && templates.data.items.length === 0 ? (
        <Empty>
          No templates yet.{' '}
          {can.admin ? 'Sync them from Meta with the button above.' : 'Ask an admin to sync them from Meta.'}
        </Empty>
      ) : null}
      {templates.data && templates.data.items.length > 0 ? (
        <DataTable
          label="Templates"
          rows={templates.data.items}
          rowKey={(item) => item.id}
          columns={[
            {
              header: 'Name',
              cell: (item) => (
                <button
                  type="button"
                  className="link"
                  onClick={() => setSelected(item.id)}
                  aria-label={`Map placeholders of ${item.name} (${item.language})`}
                >
                  {item.name}
                </button>
              ),
            },
            { header: 'Language', cell: (item) => item.language },
            { header: 'Category', cell: (item) => item.category },
            { header: 'Status', cell: (item) => <Status status={item.status} /> },
            {
              header: 'Placeholders',
              cell: (item) =>
                `${item.placeholders.filter((key) => item.variables[key]).length} of ${item.placeholders.length} mapped`,
            },
          ]}
        />
      ) : null}
      {template ? <MappingEditor key={template.id} template={template} editable={can.admin} /> : null}
    </section>
  );
}

function MappingEditor({ template, editable }: { template: Template; editable: boolean }) {
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<Mapping>(template.variables);
  const sample = useQuery({
    queryKey: ['contacts', 'sample'],
    queryFn: () => unwrap(api.GET('/v1/contacts', { params: { query: { limit: 1 } } })),
  });
  const contact: SampleContact = sample.data?.items[0] ?? fallbackContact;
  const fields = mappableFields(Object.keys(contact.attributes));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/templates/{id}', {
          params: { path: { id: template.id } },
          body: { variables: mapping },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['templates'] }),
  });
  const bubble = previewBubble(template.components, mapping, contact);
  const set = (key: string, change: Partial<{ field: string; default: string }>) => {
    const current = mapping[key] ?? { field: '' };
    const next = { ...current, ...change };
    setMapping({ ...mapping, [key]: next.default ? next : { field: next.field } });
  };
  return (
    <div className="mapping">
      <div>
        <h2>Placeholders of {template.name}</h2>
        {template.placeholders.length === 0 ? (
          <Empty>This template has no placeholders: it is sent as written.</Empty>
        ) : null}
        <datalist id="contact-fields">
          {fields.map((field) => (
            <option key={field} value={field} />
          ))}
        </datalist>
        {template.placeholders.map((key) => (
          <fieldset key={key}>
            <legend>{key}</legend>
            <label htmlFor={`field-${key}`}>Contact field for {key}</label>
            <input
              id={`field-${key}`}
              list="contact-fields"
              value={mapping[key]?.field ?? ''}
              readOnly={!editable}
              onChange={(event) => set(key, { field: event.target.value })}
            />
            <label htmlFor={`default-${key}`}>Default for {key} (when the field is empty)</label>
            <input
              id={`default-${key}`}
              value={mapping[key]?.default ?? ''}
              readOnly={!editable}
              onChange={(event) => set(key, { default: event.target.value })}
            />
          </fieldset>
        ))}
        {editable && template.placeholders.length > 0 ? (
          <button type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            Save mapping
          </button>
        ) : null}
        {save.isSuccess ? <p aria-live="polite">Mapping saved.</p> : null}
        <ErrorNotice error={save.error} />
      </div>
      <div>
        <h2>Preview for {contact.name ?? contact.phone}</h2>
        <WhatsAppBubble bubble={bubble} />
        {bubble.missing.length > 0 ? (
          <p className="notice">No value for {bubble.missing.join(', ')}: map a field or give a default.</p>
        ) : null}
      </div>
    </div>
  );
}

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        'text' in segment ? (
          <span key={index}>{segment.text}</span>
        ) : (
          <mark key={index} className={segment.value === null ? 'gap' : undefined} title={segment.key}>
            {segment.value ?? `{{${segment.key}}}`}
          </mark>
        ),
      )}
    </>
  );
}

/** The message as WhatsApp shows it: header, body with the sample values, footer, buttons. */
export function WhatsAppBubble({ bubble }: { bubble: Bubble }) {
  return (
    <figure className="chat" aria-label="WhatsApp preview">
      <div className="bubble">
        {bubble.header && Array.isArray(bubble.header) ? (
          <p className="bubble-header">
            <Segments segments={bubble.header} />
          </p>
        ) : null}
        {bubble.header && !Array.isArray(bubble.header) ? <p className="bubble-media">{bubble.header.media}</p> : null}
        <p className="bubble-body">
          <Segments segments={bubble.body} />
        </p>
        {bubble.footer ? <p className="bubble-footer">{bubble.footer}</p> : null}
      </div>
      {bubble.buttons.map((button) => (
        <div className="bubble-button" key={button.text}>
          {button.text}
        </div>
      ))}
    </figure>
  );
}
