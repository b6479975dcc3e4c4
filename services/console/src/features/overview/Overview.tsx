import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Empty, ErrorNotice } from '../../app/ErrorNotice.tsx';
import { Link } from '../../app/router.tsx';
import { useCan } from '../../app/session.tsx';
import { CampaignTable } from '../campaigns/CampaignList.tsx';

/** What is running and what comes next; refreshed every 10 s. */
export function Overview() {
  const can = useCan();
  const active = useQuery({
    queryKey: ['campaigns', 'ACTIVE', 'overview'],
    queryFn: () => unwrap(api.GET('/v1/campaigns', { params: { query: { status: 'ACTIVE', limit: 50 } } })),
    refetchInterval: 10_000,
  });
  const paused = useQuery({
    queryKey: ['campaigns', 'PAUSED', 'overview'],
    queryFn: () => unwrap(api.GET('/v1/campaigns', { params: { query: { status: 'PAUSED', limit: 50 } } })),
  });
  const skipped = (active.data?.items ?? []).filter((campaign) => campaign.lastSkippedPeriod);
  return (
    <section>
      <h1>Overview</h1>
      <ErrorNotice error={active.error ?? paused.error} />
      {skipped.length > 0 ? (
        <div role="alert" className="notice">
          <strong>Runs were skipped</strong>
          <ul>
            {skipped.map((campaign) => (
              <li key={campaign.id}>
                <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>: {campaign.lastSkippedPeriod?.periodKey} (
                {campaign.lastSkippedPeriod?.reason})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2>Active campaigns</h2>
      {active.data && active.data.items.length === 0 ? (
        <Empty>
          Nothing is active.{' '}
          {can.write ? (
            <>
              <Link to="/campaigns/new">Create a campaign</Link> and activate it.
            </>
          ) : null}
        </Empty>
      ) : null}
      {active.data && active.data.items.length > 0 ? (
        <CampaignTable label="Active campaigns" rows={active.data.items} />
      ) : null}
      <h2>Paused campaigns</h2>
      {paused.data && paused.data.items.length === 0 ? <Empty>No campaign is paused.</Empty> : null}
      <ul>
        {paused.data?.items.map((campaign) => (
          <li key={campaign.id}>
            <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
