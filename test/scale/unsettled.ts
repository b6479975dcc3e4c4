import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import postgres from 'postgres';
import type { ScaleSystem } from './support.ts';

/*
 * Why a run did not settle, for the failure report: which messages are short of READ, whether the
 * statuses that would move them are in the WHATSAPP stream (lost before JetStream stored them, or
 * stored and never applied), and where the dispatchers' status consumer stands. Read as an operator
 * would, with a user allowed to read the stream.
 */
export async function explainUnsettled(scale: ScaleSystem, runId: string): Promise<string> {
  const sql = postgres(scale.stack.settings.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const nc = await connect({
    servers: scale.nats.nodes.filter((node) => node.running()).map((node) => node.url),
    ...scale.operator,
  });
  try {
    const behind = await sql<Array<{ id: string; wamid: string | null; status: string }>>`
      select id, wamid, status from dispatch.messages
       where run_id = ${runId} and status not in ('READ', 'FAILED') order by wamid is null, id limit 20`;
    const stream = `${scale.stack.settings.EKTOLA_NAMESPACE!.toUpperCase()}_WHATSAPP`;
    const jsm = await jetstreamManager(nc);
    const consumer = await jsm.consumers.info(stream, 'dispatcher-status');
    const streamInfo = await jsm.streams.info(stream);
    const found = new Map<string, string[]>(behind.map((message) => [message.wamid ?? message.id, []]));
    const ordered = await jetstream(nc).consumers.get(stream);
    const last = streamInfo.state.last_seq;
    if (last > 0) {
      for await (const message of await ordered.consume()) {
        if (message.subject.includes('.whatsapp.status.')) {
          const payload = message.json<{ statuses?: Status[] } & Status>();
          for (const status of payload.statuses ?? [payload])
            found.get(status.wamid)?.push(`${status.status}@${message.seq}`);
        }
        if (message.seq >= last) break;
      }
    }
    const lines = behind.map(
      (message) =>
        `${message.id} ${message.status} wamid=${message.wamid}: in the stream ${found.get(message.wamid ?? message.id)!.join(', ') || 'nothing'}`,
    );
    return [
      `messages short of READ or FAILED (first 20): ${behind.length}`,
      ...lines,
      `stream ${stream}: ${JSON.stringify({ ...streamInfo.state, leader: streamInfo.cluster?.leader, replicas: streamInfo.cluster?.replicas?.map((r) => ({ name: r.name, current: r.current, lag: r.lag })) })}`,
      `consumer dispatcher-status: ${JSON.stringify({ delivered: consumer.delivered, ack_floor: consumer.ack_floor, num_pending: consumer.num_pending, num_ack_pending: consumer.num_ack_pending, num_redelivered: consumer.num_redelivered, leader: consumer.cluster?.leader })}`,
    ].join('\n');
  } finally {
    await nc.close();
    await sql.end();
  }
}

interface Status {
  wamid: string;
  status: string;
}
