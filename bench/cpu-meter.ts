import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** CPU seconds (user + system) of processes on Linux, sampled so that processes which exit early still count. */
export function createCpuMeter(
  classify: (process: { pid: number; parent: number; comm: string; cmdline: string }) => string | undefined,
) {
  const ticksPerSecond = 100;
  const seen = new Map<number, { category: string; first: number; last: number }>();
  const read = (pid: number): { comm: string; parent: number; ticks: number } | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      // After "(comm) ": state, ppid, …; utime and stime are the 14th and 15th fields of the line.
      const fields = stat.slice(close + 2).split(' ');
      return {
        comm: stat.slice(stat.indexOf('(') + 1, close),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      };
    } catch {
      return undefined;
    }
  };
  const sample = (initial: boolean) => {
    let pids: number[];
    try {
      pids = readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return;
    }
    for (const pid of pids) {
      const known = seen.get(pid);
      const stat = read(pid);
      if (!stat) continue;
      if (known) {
        known.last = stat.ticks;
        continue;
      }
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      const category = classify({ pid, parent: stat.parent, comm: stat.comm, cmdline });
      // A process born after the start counts from zero.
      if (category) seen.set(pid, { category, first: initial ? stat.ticks : 0, last: stat.ticks });
    }
  };
  sample(true);
  const self = process.cpuUsage();
  const timer = setInterval(() => sample(false), 500);
  return {
    /** CPU seconds per category since the meter started; `self` is this process. */
    stop(): Record<string, number> {
      clearInterval(timer);
      sample(false);
      const own = process.cpuUsage(self);
      const totals: Record<string, number> = { self: (own.user + own.system) / 1e6 };
      for (const { category, first, last } of seen.values())
        totals[category] = (totals[category] ?? 0) + (last - first) / ticksPerSecond;
      return totals;
    },
  };
}

/** What issue 21 counts as the product's cost of a message: EkTola's two message-path services and its two servers. */
export interface ProductCpu {
  dispatcher: number;
  webhook: number;
  postgres: number;
  nats: number;
  product: number;
}

/** The PostgreSQL server's postmaster: the parent of the backend `backendPid` (from `select pg_backend_pid()`). */
export function postmasterOf(backendPid: number): number {
  return Number(readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
}

/** Inodes of the sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT", st 0A is LISTEN, the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Whether process `pid` holds one of `inodes` open: the server behind a port, among several of the same name. */
function holdsSocket(pid: number, inodes: Set<string>): boolean {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return true;
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    // Gone, or not ours to read.
  }
  return false;
}

/**
 * Meters the dispatcher, the webhook-service, the backends of one database and nats-server. The
 * server's other processes (WAL writer, checkpointer, other databases' backends) are kept apart as
 * `postgres_other`: on a shared machine they carry other work too. Of the nats-server processes only
 * the one listening on `natsPort` counts (other clusters on the machine are not the bench's).
 */
export function createProductCpuMeter(options: {
  dispatcherPid: number | undefined;
  webhookPid: number | undefined;
  postmasterPid: number;
  databaseName: string;
  natsPort: number;
}) {
  const natsSockets = listeningInodes(options.natsPort);
  const meter = createCpuMeter(({ pid, parent, comm, cmdline }) => {
    if (pid === options.dispatcherPid) return 'dispatcher';
    if (pid === options.webhookPid) return 'webhook';
    if (comm === 'nats-server') return holdsSocket(pid, natsSockets) ? 'nats' : undefined;
    if (pid === options.postmasterPid) return 'postgres_other';
    if (parent !== options.postmasterPid) return undefined;
    // A backend forked a moment ago still shows the postmaster's command line until it names its
    // database: left unclassified, it is looked at again at the next sample (and counted from zero).
    if (!cmdline.startsWith('postgres: ')) return undefined;
    return cmdline.includes(` ${options.databaseName} `) ? 'postgres_backends' : 'postgres_other';
  });
  return {
    /** CPU seconds per category (as createCpuMeter) and the product's CPU milliseconds per message. */
    stop(messages: number): { seconds: Record<string, number>; perMessage: ProductCpu } {
      const seconds = meter.stop();
      const ms = (value: number | undefined) => ((value ?? 0) * 1000) / Math.max(1, messages);
      const dispatcher = ms(seconds.dispatcher);
      const webhook = ms(seconds.webhook);
      const postgres = ms(seconds.postgres_backends);
      const nats = ms(seconds.nats);
      const round = (value: number) => Number(value.toFixed(3));
      return {
        seconds,
        perMessage: {
          dispatcher: round(dispatcher),
          webhook: round(webhook),
          postgres: round(postgres),
          nats: round(nats),
          product: round(dispatcher + webhook + postgres + nats),
        },
      };
    },
  };
}
