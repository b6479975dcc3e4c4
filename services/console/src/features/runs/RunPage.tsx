import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client.ts';
import { Empty, ErrorNotice, When } from '../../app/ErrorNotice.tsx';
import { DataTable, Status, StatusFilter } from '../../app/DataTable.tsx';
import { MinuteChart } from '../../app/MinuteChart.tsx';
import { usePaged } from '../../app/paging.tsx';
import { Link } from '../../app/router.tsx';
import { funnelOf } from './funnel.ts';

type Run = ResponseOf<'/v1/runs/{id}', 'get'>;
const messageStatuses = ['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED'] as const;
type MessageStatus = (typeof messageStatuses)[number];

/** Meta's delivered and read receipts keep arriving after the dispatcher finished sending. */
const receiptWindowMs = 15 * 60_000;

/** Nothing more is expected to change: the run ended a while ago, or every message reached its last state. */
function settled(run: Run | undefined): boolean {
  if (!run || run.status === 'REQUESTED' || !run.completedAt) return false;
  const messages = run.messages;
  const inFlight = messages ? messages.pending + messages.sending + messages.sent + messages.delivered : 0;
  return inFlight === 0 || Date.now() - Date.parse(run.completedAt) > receiptWindowMs;
}

/**
 * A run, live: its counts are polled every 2 s while it sends and for 15 minutes after, while Meta's
 * receipts still move them (polling rather than SSE keeps one code path behind any proxy). Its messages are paged on the
 * server, 50 at a time, so a 100,000-message run loads no more than one page.
 */
export function RunPage({ id }: { id: string }) {
  const run = useQuery({
    queryKey: ['run', id],
    queryFn: () => unwrap(api.GET('/v1/runs/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (settled(query.state.data) ? false : 2_000),
  });
  // The Meta error code the messages table is narrowed to, chosen in the failures table.
  const [code, setCode] = useState<number | null>(null);
  if (run.error) return <ErrorNotice error={run.error} />;
  if (!run.data) return <p className="loading">Loading…</p>;
  const data = run.data;
  return (
    <section>
      <p>
        <Link to={`/campaigns/${data.campaignId}`}>← Campaign</Link>
      </p>
      <div className="heading">
        <h1>Run {data.periodKey}</h1>
        <span aria-live="polite">
          <Status status={data.status} />
        </span>
      </div>
      <p>
        Scheduled for <When at={data.scheduledFor} />
        {data.completedAt ? (
          <>
            , finished <When at={data.completedAt} />
          </>
        ) : null}
        {data.messages?.waitingReason ? ` · waiting: ${data.messages.waitingReason}` : ''}
      </p>
      <Counts run={data} />
      <SendsPerMinute runId={id} live={!settled(data)} />
      <Failures run={data} onPick={setCode} />
      <Messages runId={id} live={!settled(data)} code={code} onClearCode={() => setCode(null)} />
    </section>
  );
}

function Counts({ run }: { run: Run }) {
  const messages = run.messages;
  if (!messages) return <Empty>The dispatcher has not reported this run yet; counts appear here as it sends.</Empty>;
  const funnel = funnelOf(messages);
  return (
    <>
      <h2>Counts</h2>
      <dl className="counts" aria-label="Message counts">
        {(['total', 'pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const).map((key) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd data-count={key}>{messages[key]}</dd>
          </div>
        ))}
      </dl>
      <h2>Funnel</h2>
      <svg className="funnel" viewBox="0 0 400 120" role="img" aria-label={funnel.label}>
        {funnel.bars.map((bar, index) => (
          <g key={bar.name} transform={`translate(0 ${index * 24})`}>
            <rect x="90" y="2" height="18" width={Math.max(1, bar.share * 300)} className={`bar ${bar.name}`} />
            <text x="0" y="15">
              {bar.name}
            </text>
            <text x={96 + Math.max(1, bar.share * 300)} y="15">
              {bar.count}
            </text>
          </g>
        ))}
      </svg>
      {run.rates ? (
        <p>
          Delivered {percent(run.rates.delivered)} · read {percent(run.rates.read)} · failed {percent(run.rates.failed)}
        </p>
      ) : null}
    </>
  );
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10} %`);

/** Bucketed by the dispatcher from each message's sent_at; re-read every 10 s while the run sends. */
function SendsPerMinute({ runId, live }: { runId: string; live: boolean }) {
  const minutes = useQuery({
    queryKey: ['run-sends-per-minute', runId],
    queryFn: () => unwrap(api.GET('/v1/runs/{id}/sends-per-minute', { params: { path: { id: runId } } })),
    refetchInterval: live ? 10_000 : false,
  });
  // The run settled between two reads: one more shows its last sends.
  const { refetch } = minutes;
  useEffect(() => {
    if (!live) void refetch();
  }, [live, refetch]);
  return (
    <>
      <h2>Messages per minute</h2>
      <ErrorNotice error={minutes.error} />
      {minutes.data && minutes.data.minutes.length === 0 ? (
        <Empty>Nothing of this run has been sent yet; each minute of sending appears here.</Empty>
      ) : null}
      {minutes.data && minutes.data.minutes.length > 0 ? (
        <MinuteChart minutes={minutes.data.minutes} what="messages sent" />
      ) : null}
    </>
  );
}

function Failures({ run, onPick }: { run: Run; onPick: (code: number) => void }) {
  const errors = run.errors ?? [];
  return (
    <>
      <h2>Failures by Meta error</h2>
      {errors.length === 0 ? (
        <Empty>No message of this run has failed.</Empty>
      ) : (
        <DataTable
          label="Failures by Meta error code"
          rows={errors}
          rowKey={(error) => String(error.code)}
          columns={[
            {
              header: 'Code',
              cell: (error) => (
                <button
                  type="button"
                  className="link"
                  aria-label={`Show the messages that failed with ${error.code}`}
                  onClick={() => {
                    onPick(error.code);
                    document.getElementById('run-messages')?.scrollIntoView();
                  }}
                >
                  {error.code}
                </button>
              ),
            },
            { header: 'Meta’s title', cell: (error) => error.title },
            { header: 'Messages', cell: (error) => error.count },
          ]}
        />
      )}
    </>
  );
}

function Messages(props: { runId: string; live: boolean; code: number | null; onClearCode: () => void }) {
  const { runId, live, code } = props;
  const [status, setStatus] = useState<MessageStatus | ''>('');
  const { query: messages, pager } = usePaged(
    ['run-messages', runId, status, code],
    (cursor) =>
      unwrap(
        api.GET('/v1/runs/{id}/messages', {
          params: {
            path: { id: runId },
            query: {
              limit: 50,
              ...(status ? { status } : {}),
              ...(code === null ? {} : { code }),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    { refetchInterval: live ? 2_000 : false },
  );
  // The counts settled between two polls: one more read shows the rows as they ended.
  const { refetch } = messages;
  useEffect(() => {
    if (!live) void refetch();
  }, [live, refetch]);
  return (
    <>
      <div className="heading">
        <h2 id="run-messages">Messages</h2>
        <a className="button" href={`/v1/runs/${runId}/messages.csv`} download>
          Export CSV
        </a>
      </div>
      <StatusFilter id="message-status" statuses={messageStatuses} value={status} onChange={setStatus} />
      {code === null ? null : (
        <p className="filters">
          Meta error code {code}{' '}
          <button type="button" onClick={props.onClearCode}>
            Show every code
          </button>
        </p>
      )}
      <ErrorNotice error={messages.error} />
      {messages.data && messages.data.items.length === 0 ? (
        <Empty>
          No messages{status ? ` with status ${status}` : ''}
          {code === null ? '' : ` that failed with ${code}`}.
        </Empty>
      ) : null}
      {messages.data && messages.data.items.length > 0 ? (
        <DataTable
          label="Messages"
          rows={messages.data.items}
          rowKey={(message) => message.id}
          columns={[
            { header: 'Phone', cell: (message) => message.phone },
            { header: 'Status', cell: (message) => message.status },
            {
              header: 'Error',
              cell: (message) =>
                message.error ? `${message.error.code}: ${message.error.message}` : (message.skipReason ?? ''),
            },
            { header: 'Attempts', cell: (message) => message.attempts },
            { header: 'Updated', cell: (message) => <When at={message.updatedAt} /> },
          ]}
        />
      ) : null}
      {pager}
    </>
  );
}
