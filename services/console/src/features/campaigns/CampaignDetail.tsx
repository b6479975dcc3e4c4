import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { DataTable, Status } from '../../app/DataTable.tsx';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { Link } from '../../app/router.tsx';
import { useCan } from '../../app/session.tsx';
import { useCampaign, type CampaignStatus } from './queries.ts';

type Action = 'activate' | 'pause' | 'resume' | 'cancel';

/** Which transitions a status allows, as the API's state machine does; the API answers 409 otherwise. */
const actionsFor: Record<CampaignStatus, Action[]> = {
  DRAFT: ['activate', 'cancel'],
  ACTIVE: ['pause', 'cancel'],
  PAUSED: ['resume', 'cancel'],
  COMPLETED: [],
  CANCELLED: [],
};

const labels: Record<Action, string> = {
  activate: 'Activate',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel campaign',
};

export function CampaignDetail({ id }: { id: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const campaign = useCampaign(id);
  const active = campaign.data?.status === 'ACTIVE';
  const runs = useQuery({
    queryKey: ['campaign-runs', id],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/runs', { params: { path: { id }, query: { limit: 20 } } })),
    // An active campaign's next run appears when the scheduler creates it.
    refetchInterval: active ? 2_000 : false,
  });
  const transition = useMutation({
    mutationFn: (action: Action) => {
      const path = { params: { path: { id } } };
      if (action === 'activate') return unwrap(api.POST('/v1/campaigns/{id}/activate', path));
      if (action === 'pause') return unwrap(api.POST('/v1/campaigns/{id}/pause', path));
      if (action === 'resume') return unwrap(api.POST('/v1/campaigns/{id}/resume', path));
      return unwrap(api.POST('/v1/campaigns/{id}/cancel', path));
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['campaign', id], updated);
      void queryClient.invalidateQueries({ queryKey: ['campaign-runs', id] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });

  if (campaign.error) return <ErrorNotice error={campaign.error} />;
  if (!campaign.data) return <p className="loading">Loading…</p>;
  const data = campaign.data;
  return (
    <section>
      <p>
        <Link to="/campaigns">← Campaigns</Link>
      </p>
      <div className="heading">
        <h1>{data.name}</h1>
        <Status status={data.status} />
      </div>
      <dl className="facts">
        <dt>Audience</dt>
        <dd>
          {data.audience.tags.length > 0 ? `tags ${data.audience.tags.join(', ')}` : 'every contact'}
          {data.audienceCount !== null ? ` · ${data.audienceCount} contacts at activation` : ''}
        </dd>
        <dt>Schedule</dt>
        <dd>
          {data.recurrence} from <When at={data.startAt} zone={data.timezone} />
          {data.endAt ? (
            <>
              {' '}
              until <When at={data.endAt} zone={data.timezone} />
            </>
          ) : null}
        </dd>
        <dt>Next run</dt>
        <dd>
          <When at={data.nextRunAt} zone={data.timezone} />
        </dd>
        {data.estimatedCost ? (
          <>
            <dt>Estimated cost</dt>
            <dd>
              {data.estimatedCost.amount} {data.estimatedCost.currency}
            </dd>
          </>
        ) : null}
        {data.lastSkippedPeriod ? (
          <>
            <dt>Last skipped run</dt>
            <dd>
              {data.lastSkippedPeriod.periodKey}: {data.lastSkippedPeriod.reason}
            </dd>
          </>
        ) : null}
      </dl>
      {can.write && actionsFor[data.status].length > 0 ? (
        <div className="actions">
          {data.status === 'DRAFT' || data.status === 'PAUSED' ? (
            <Link className="button" to={`/campaigns/${id}/edit`}>
              Edit
            </Link>
          ) : null}
          {actionsFor[data.status].map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'cancel' ? 'danger' : undefined}
              disabled={transition.isPending}
              onClick={() => transition.mutate(action)}
            >
              {labels[action]}
            </button>
          ))}
        </div>
      ) : null}
      <ErrorNotice error={transition.error} />

      <h2>Runs</h2>
      <ErrorNotice error={runs.error} />
      {runs.data && runs.data.items.length === 0 ? (
        <Empty>
          No runs yet.{' '}
          {data.status === 'DRAFT' ? 'Activate the campaign and its first run is created when it is due.' : ''}
        </Empty>
      ) : null}
      {runs.data && runs.data.items.length > 0 ? (
        <DataTable
          label="Runs"
          rows={runs.data.items}
          rowKey={(run) => run.id}
          columns={[
            { header: 'Period', cell: (run) => <Link to={`/runs/${run.id}`}>{run.periodKey}</Link> },
            { header: 'Scheduled for', cell: (run) => <When at={run.scheduledFor} zone={data.timezone} /> },
            { header: 'Status', cell: (run) => <Status status={run.status} /> },
            { header: 'Completed', cell: (run) => <When at={run.completedAt} /> },
          ]}
        />
      ) : null}
    </section>
  );
}
