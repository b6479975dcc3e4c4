import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { DataTable, Status, StatusFilter } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { usePaged } from '../../app/paging.tsx';
import { Link } from '../../app/router.tsx';
import { useCan } from '../../app/session.tsx';
import type { Campaign, CampaignStatus } from './queries.ts';

const statuses: CampaignStatus[] = ['DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED'];

export function CampaignList() {
  const can = useCan();
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const { query: campaigns, pager } = usePaged(['campaigns', status], (cursor) =>
    unwrap(
      api.GET('/v1/campaigns', {
        params: { query: { limit: 25, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <section>
      <div className="heading">
        <h1>Campaigns</h1>
        {can.write ? (
          <Link className="button" to="/campaigns/new">
            New campaign
          </Link>
        ) : null}
      </div>
      <StatusFilter id="campaign-status" statuses={statuses} value={status} onChange={setStatus} />
      <ErrorNotice error={campaigns.error} />
      {campaigns.data && campaigns.data.items.length === 0 ? (
        <Empty>
          No campaigns{status ? ` with status ${status}` : ''} yet.{' '}
          {can.write ? 'Create one with “New campaign”: pick a template, an audience and a schedule.' : ''}
        </Empty>
      ) : null}
      {campaigns.data && campaigns.data.items.length > 0 ? (
        <CampaignTable label="Campaigns" rows={campaigns.data.items} />
      ) : null}
      {pager}
    </section>
  );
}

/** Campaigns with their status, schedule and audience, each linking to its page. */
export function CampaignTable({ label, rows }: { label: string; rows: Campaign[] }) {
  return (
    <DataTable
      label={label}
      rows={rows}
      rowKey={(campaign) => campaign.id}
      columns={[
        { header: 'Name', cell: (campaign) => <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> },
        { header: 'Status', cell: (campaign) => <Status status={campaign.status} /> },
        { header: 'Recurrence', cell: (campaign) => campaign.recurrence },
        { header: 'Next run', cell: (campaign) => <When at={campaign.nextRunAt} zone={campaign.timezone} /> },
        { header: 'Audience at activation', cell: (campaign) => campaign.audienceCount ?? '—' },
      ]}
    />
  );
}
