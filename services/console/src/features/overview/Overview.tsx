import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client.ts';
import { DataTable, Status } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { MinuteChart } from '../../app/MinuteChart.tsx';
import { Link } from '../../app/router.tsx';
import { useCan } from '../../app/session.tsx';
import { CampaignTable } from '../campaigns/CampaignList.tsx';

type Summary = ResponseOf<'/v1/overview', 'get'>;

const alertTitles: Record<Summary['alerts'][number]['kind'], string> = {
  breaker_open: 'Circuit breaker open',
  tier_limit: 'Messaging tier limit reached',
  account_error: 'WhatsApp account error',
  sender_unavailable: 'Sender number not sending',
  template_paused: 'Template paused by Meta',
};

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10} %`);

/** What is running and what comes next (refreshed every 10 s); sending across every run (every 30 s). */
export function Overview() {
  const can = useCan();
  const summary = useQuery({
    queryKey: ['overview'],
    queryFn: () => unwrap(api.GET('/v1/overview')),
    refetchInterval: 30_000,
  });
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
      <ErrorNotice error={active.error ?? paused.error ?? summary.error} />
      {summary.data ? <Alerts alerts={summary.data.alerts} /> : null}
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
      {summary.data ? <Sending summary={summary.data} /> : null}
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

function Alerts({ alerts }: { alerts: Summary['alerts'] }) {
  if (alerts.length === 0) return null;
  return (
    <div role="alert" className="notice">
      <strong>Sending needs attention</strong>
      <ul>
        {alerts.map((alert) => (
          <li key={`${alert.kind}-${alert.templateId ?? ''}`}>
            {alertTitles[alert.kind]}: {alert.message}
            {alert.kind === 'template_paused' ? (
              <>
                {' '}
                <Link to="/templates">Templates</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Sending({ summary }: { summary: Summary }) {
  const { messages } = summary;
  return (
    <>
      <h2>Messages of the last 24 hours</h2>
      {messages.total === 0 ? (
        <Empty>No message was sent in the last 24 hours.</Empty>
      ) : (
        <>
          <dl className="counts" aria-label="Messages of the last 24 hours by status">
            {Object.entries(messages.byStatus).map(([status, count]) => (
              <div key={status}>
                <dt>{status}</dt>
                <dd>{count}</dd>
              </div>
            ))}
          </dl>
          <p>
            Delivered {percent(messages.rates.delivered)} · read {percent(messages.rates.read)}
          </p>
        </>
      )}
      <h2>Sends per minute, last 60 minutes</h2>
      <MinuteChart minutes={summary.sendsPerMinute} what="sends" />
      <h2>Runs of the last 7 days</h2>
      {summary.runs.length === 0 ? (
        <Empty>No run was scheduled in the last 7 days.</Empty>
      ) : (
        <DataTable
          label="Runs of the last 7 days"
          rows={summary.runs}
          rowKey={(run) => run.id}
          columns={[
            { header: 'Run', cell: (run) => <Link to={`/runs/${run.id}`}>{run.periodKey}</Link> },
            { header: 'Status', cell: (run) => <Status status={run.status} /> },
            { header: 'Scheduled for', cell: (run) => <When at={run.scheduledFor} /> },
            { header: 'Campaign', cell: (run) => <Link to={`/campaigns/${run.campaignId}`}>Open campaign</Link> },
          ]}
        />
      )}
    </>
  );
}
