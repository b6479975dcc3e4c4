import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { DataTable, RowAction } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { useCan, type Role } from '../../app/session.tsx';
import { FrequencyCap, RegionRules } from './Guardrails.tsx';
import { WebhookEndpoints } from './WebhookEndpoints.tsx';

export function SettingsPage() {
  const can = useCan();
  if (!can.admin)
    return (
      <section>
        <h1>Settings</h1>
        <p className="hint">An admin key changes these; API keys and webhook endpoints are for admin keys only.</p>
        <FrequencyCap editable={false} />
        <RegionRules editable={false} />
      </section>
    );
  return (
    <section>
      <h1>Settings</h1>
      <ApiKeys />
      <RateCard />
      <FrequencyCap editable />
      <RegionRules editable />
      <WebhookEndpoints />
    </section>
  );
}

function ApiKeys() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 100 } } })),
  });
  const mint = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/api-keys', { body: { name, role } })),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mint.mutate();
  };
  return (
    <>
      <h2>API keys</h2>
      <form onSubmit={submit} className="filters">
        <label htmlFor="key-name">Name</label>
        <input id="key-name" value={name} onChange={(event) => setName(event.target.value)} required />
        <label htmlFor="key-role">Role</label>
        <select id="key-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          <option value="viewer">viewer</option>
          <option value="operator">operator</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" disabled={mint.isPending}>
          Create key
        </button>
      </form>
      {mint.data?.key ? (
        <div className="notice" aria-live="polite">
          <p>
            The key for {mint.data.name}, shown this once: <code>{mint.data.key}</code>
          </p>
        </div>
      ) : null}
      <ErrorNotice error={keys.error ?? mint.error ?? revoke.error} />
      <DataTable
        label="API keys"
        rows={keys.data?.items ?? []}
        rowKey={(key) => key.id}
        columns={[
          { header: 'Name', cell: (key) => key.name },
          { header: 'Role', cell: (key) => key.role },
          { header: 'Prefix', cell: (key) => <code>{key.prefix}…</code> },
          { header: 'Created', cell: (key) => <When at={key.createdAt} /> },
          {
            header: 'State',
            cell: (key) =>
              key.revokedAt ? (
                'revoked'
              ) : (
                <RowAction label="Revoke" of={key.name} onClick={() => revoke.mutate(key.id)} danger />
              ),
          },
        ]}
      />
    </>
  );
}

function RateCard() {
  const card = useQuery({
    queryKey: ['rate-card'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/v1/settings/rate-card');
      if (response.status === 404) return null;
      if (!data) throw ApiError.from(response.status, error);
      return data;
    },
  });
  return (
    <>
      <h2>Rate card</h2>
      <ErrorNotice error={card.error} />
      {card.data === null ? (
        <Empty>
          No rate card yet: PUT /v1/settings/rate-card sets what Meta charges, and previews then show costs.
        </Empty>
      ) : null}
      {card.data ? (
        <table aria-label="Rate card">
          <thead>
            <tr>
              <th scope="col">Calling code</th>
              {Object.keys(card.data.default).map((category) => (
                <th scope="col" key={category}>
                  {category} ({card.data?.currency})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[['default', card.data.default] as const, ...Object.entries(card.data.byCallingCode)].map(
              ([code, prices]) => (
                <tr key={code}>
                  <td>{code === 'default' ? 'every other' : `+${code}`}</td>
                  {Object.keys(card.data?.default ?? {}).map((category) => (
                    <td key={category}>{(prices as Record<string, number | undefined>)[category] ?? '(default)'}</td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
