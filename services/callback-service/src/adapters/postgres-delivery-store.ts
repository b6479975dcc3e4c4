import type { Sql } from '@ektola/platform/postgres';
import { bodyOf } from '../domain/callback-event.ts';
import type {
  Attempt,
  CallbackEventLog,
  ClaimedDelivery,
  DeliveryBacklog,
  DeliveryLog,
  DeliveryQueue,
  DeliveryStatus,
  DeliveryView,
} from '../domain/ports.ts';

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  status: DeliveryStatus;
  created_at: Date;
  next_attempt_at: Date;
  completed_at: Date | null;
  attempts: Array<{ at: string; http_status: number | null; latency_ms: number; error: string | null }> | null;
}

const viewOf = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  endpointId: row.endpoint_id,
  eventId: row.event_id,
  eventType: row.type,
  status: row.status,
  createdAt: row.created_at,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  completedAt: row.completed_at,
  attempts: (row.attempts ?? []).map((attempt): Attempt => ({
    at: new Date(attempt.at),
    httpStatus: attempt.http_status,
    latencyMs: attempt.latency_ms,
    error: attempt.error,
  })),
});

/** The events, the deliveries waiting in the outbox, and their attempts, in schema `callbacks`. */
export function createPostgresDeliveryStore(
  sql: Sql,
  options: { onRecorded?: () => void } = {},
): CallbackEventLog & DeliveryQueue & DeliveryLog & DeliveryBacklog {
  const settle = createBatchedSettle(sql);
  const views = (where: ReturnType<Sql>, limit = 1) => sql<DeliveryRow[]>`
    select d.id, d.endpoint_id, d.event_id, e.type, d.status, d.created_at, d.next_attempt_at, d.completed_at,
           (select json_agg(json_build_object('at', a.attempted_at, 'http_status', a.http_status,
                                              'latency_ms', a.latency_ms, 'error', a.error) order by a.attempted_at)
              from callbacks.attempts a where a.delivery_id = d.id) as attempts
      from callbacks.deliveries d join callbacks.events e on e.id = d.event_id
     where ${where}
     order by d.id
     limit ${limit}`;

  return {
    async record(events) {
      if (events.length === 0) return;
      // An event no endpoint takes is not kept: nothing would ever read it, and with no endpoint
      // subscribed that is every status of every message. A read of the types enabled endpoints take
      // sorts those out first, so they are neither serialised nor sent to the database with their bodies.
      const [subscribed] = await sql<[{ types: string[] | null }]>`
        select array_agg(distinct type) as types from callbacks.endpoints, unnest(events) as type where enabled`;
      const taken = new Set(subscribed?.types);
      const owed = events.filter((event) => taken.has(event.type));
      if (owed.length === 0) return;
      // One statement: a delivery per subscribed enabled endpoint (as they stand now), and the events
      // those deliveries carry (each once, whatever redelivery brought it). A redelivered event finds
      // both already there and adds nothing.
      await sql`
        with input as (
          select * from unnest(${owed.map((event) => event.id)}::text[],
                               ${owed.map((event) => event.type)}::text[],
                               ${owed.map(bodyOf)}::text[],
                               ${owed.map((event) => event.createdAt)}::timestamptz[]) as i(id, type, body, created_at)
        ),
        owed as (
          select ep.id as endpoint_id, i.id as event_id
            from input i join callbacks.endpoints ep on ep.enabled and i.type = any(ep.events)
        ),
        stored as (
          insert into callbacks.events (id, type, body, created_at)
          select id, type, body, created_at from input i where exists (select 1 from owed o where o.event_id = i.id)
          on conflict (id) do nothing
        )
        insert into callbacks.deliveries (endpoint_id, event_id)
        select endpoint_id, event_id from owed
        order by endpoint_id, event_id
        on conflict (endpoint_id, event_id) do nothing`;
      options.onRecorded?.();
    },

    async recordFor(endpointId, event) {
      const [row] = await sql<Array<{ id: string }>>`
        with stored as (
          insert into callbacks.events (id, type, body, created_at)
          values (${event.id}, ${event.type}, ${bodyOf(event)}, ${event.createdAt})
          on conflict (id) do nothing
        )
        insert into callbacks.deliveries (endpoint_id, event_id) values (${endpointId}, ${event.id})
        on conflict (endpoint_id, event_id) do update set status = 'pending', next_attempt_at = now()
        returning id`;
      const [view] = await views(sql`d.id = ${(row as { id: string }).id}`);
      return viewOf(view as DeliveryRow);
    },

    async claim({ limit, perEndpoint, inFlight, leaseMs }) {
      if (limit <= 0) return [];
      const busy = [...inFlight.entries()];
      // Per endpoint (its index), the oldest due deliveries up to what that endpoint may still take: a busy
      // endpoint's backlog never fills the claim, so every other endpoint is served in the same pass.
      const rows = await sql<
        Array<{
          id: string;
          endpoint_id: string;
          url: string;
          secrets: string[];
          event_id: string;
          body: string;
          attempt_count: number;
        }>
      >`
        with busy as (
          select * from unnest(${busy.map(([id]) => id)}::uuid[], ${busy.map(([, count]) => count)}::int[]) as b(endpoint_id, count)
        ),
        room as (
          select ep.id, ${perEndpoint} - coalesce(busy.count, 0) as room
            from callbacks.endpoints ep left join busy on busy.endpoint_id = ep.id
           where ep.enabled and ${perEndpoint} - coalesce(busy.count, 0) > 0
        ),
        chosen as (
          select d.id from room
          cross join lateral (
            select d.id from callbacks.deliveries d
             where d.endpoint_id = room.id and d.status = 'pending' and d.next_attempt_at <= now()
               and (d.lease_until is null or d.lease_until < now())
             order by d.next_attempt_at, d.id
             limit room.room
               for update skip locked
          ) d
          limit ${limit}
        ),
        leased as (
          update callbacks.deliveries d
             set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
            from chosen where d.id = chosen.id
          returning d.id, d.endpoint_id, d.event_id, d.attempt_count
        )
        select l.id, l.endpoint_id, ep.url, l.event_id, e.body, l.attempt_count,
               array_remove(array[ep.secret,
                 case when ep.previous_secret_expires_at > now() then ep.previous_secret end], null) as secrets
          from leased l
          join callbacks.endpoints ep on ep.id = l.endpoint_id
          join callbacks.events e on e.id = l.event_id`;
      return rows.map((row): ClaimedDelivery => ({
        id: row.id,
        endpointId: row.endpoint_id,
        url: row.url,
        secrets: row.secrets,
        eventId: row.event_id,
        body: row.body,
        attemptCount: row.attempt_count,
      }));
    },

    settle,

    async disable(endpointId, reason) {
      const [row] = await sql<Array<{ id: string; url: string }>>`
        update callbacks.endpoints set enabled = false, disabled_reason = ${reason}, updated_at = now()
         where id = ${endpointId} and enabled
        returning id, url`;
      return row ?? null;
    },

    async nextDueAt() {
      const [row] = await sql<Array<{ due: Date | null }>>`
        select min(next_attempt_at) as due from callbacks.deliveries where status = 'pending'`;
      return row?.due ?? null;
    },

    async list({ endpointId, status, limit, afterId }) {
      const rows = await views(
        sql`d.endpoint_id = ${endpointId}
            and ${status ? sql`d.status = ${status}` : sql`true`}
            and ${afterId ? sql`d.id > ${afterId}` : sql`true`}`,
        limit,
      );
      return rows.map(viewOf);
    },

    async read() {
      const rows = await sql<Array<{ endpoint_id: string; pending: number; oldest_seconds: number }>>`
        select endpoint_id, count(*)::int as pending,
               extract(epoch from now() - min(created_at))::float8 as oldest_seconds
          from callbacks.deliveries where status = 'pending'
         group by endpoint_id`;
      return rows.map((row) => ({
        endpointId: row.endpoint_id,
        pending: row.pending,
        oldestSeconds: row.oldest_seconds,
      }));
    },

    async retry(endpointId, deliveryId) {
      const rows = await sql`
        update callbacks.deliveries set status = 'pending', next_attempt_at = now(), lease_until = null, completed_at = null
         where id = ${deliveryId} and endpoint_id = ${endpointId}
        returning id`;
      if (rows.length === 0) return null;
      const [view] = await views(sql`d.id = ${deliveryId}`);
      return view ? viewOf(view) : null;
    },
  };
}

type Settlement = Parameters<DeliveryQueue['settle']>[0];

/**
 * Settles attempts in batches: every attempt that settles within a couple of milliseconds (or 200 of
 * them) is written by one statement, and each caller gets its endpoint's failing streak back. An
 * endpoint's row is written only when its streak changes, so the attempts of one busy endpoint do not
 * queue on its row lock.
 */
function createBatchedSettle(sql: Sql, windowMs = 2, maxBatch = 200): DeliveryQueue['settle'] {
  let waiting: Array<{
    settlement: Settlement;
    resolve(value: { failingSince: Date | null }): void;
    reject(error: unknown): void;
  }> = [];
  let timer: NodeJS.Timeout | undefined;

  async function flush() {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const column = <T>(pick: (settlement: Settlement) => T) => batch.map(({ settlement }) => pick(settlement));
    try {
      const rows = await sql<Array<{ endpoint_id: string; failing_since: Date | null }>>`
        with input as (
          select * from unnest(${column((s) => s.deliveryId)}::uuid[],
                               ${column((s) => s.endpointId)}::uuid[],
                               ${column((s) => s.attempt.at.toISOString())}::timestamptz[],
                               ${column((s) => s.attempt.httpStatus)}::int[],
                               ${column((s) => s.attempt.latencyMs)}::int[],
                               ${column((s) => s.attempt.error)}::text[],
                               ${column((s) => s.status)}::text[],
                               ${column((s) => s.nextAttemptAt?.toISOString() ?? null)}::timestamptz[])
                 as i(delivery_id, endpoint_id, at, http_status, latency_ms, error, status, next_attempt_at)
        ),
        attempt as (
          insert into callbacks.attempts (delivery_id, attempted_at, http_status, latency_ms, error)
          select delivery_id, at, http_status, latency_ms, error from input
        ),
        delivery as (
          update callbacks.deliveries d
             set status = i.status, attempt_count = d.attempt_count + 1, lease_until = null,
                 next_attempt_at = coalesce(i.next_attempt_at, d.next_attempt_at),
                 completed_at = case when i.status = 'pending' then null else now() end
            from input i where d.id = i.delivery_id
        ),
        -- Per endpoint: its last success in the batch, and the first failure after it (or at all).
        streak as (
          select endpoint_id, last_success,
                 min(at) filter (where status <> 'succeeded' and (last_success is null or at > last_success)) as first_failure
            from (select *, max(at) filter (where status = 'succeeded') over (partition by endpoint_id) as last_success
                    from input) i
           group by endpoint_id, last_success
        ),
        next as (
          select s.endpoint_id,
                 case when s.first_failure is null then null
                      when s.last_success is not null then s.first_failure
                      else coalesce(ep.failing_since, s.first_failure) end as failing_since,
                 ep.failing_since as was
            from streak s join callbacks.endpoints ep on ep.id = s.endpoint_id
        ),
        changed as (
          update callbacks.endpoints ep set failing_since = n.failing_since
            from next n where ep.id = n.endpoint_id and n.was is distinct from n.failing_since
        )
        select endpoint_id, failing_since from next`;
      const streaks = new Map(rows.map((row) => [row.endpoint_id, row.failing_since]));
      for (const { settlement, resolve } of batch)
        resolve({ failingSince: streaks.get(settlement.endpointId) ?? null });
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  return (settlement) =>
    new Promise((resolve, reject) => {
      waiting.push({ settlement, resolve, reject });
      if (waiting.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), windowMs);
    });
}
