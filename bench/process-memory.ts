import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory of named processes on Linux, from /proc/<pid>/status: the largest VmRSS seen
 * by sampling and the kernel's own high-water mark VmHWM, whichever is larger. A process that exits
 * keeps the peak sampled before it went; a name can cover several processes over time (a restarted
 * service, one scheduler pass after another), and its figure is the largest of them.
 */
export function createMemoryMeter(processes: () => Array<{ name: string; pid: number | undefined }>, intervalMs = 250) {
  const peakKb = new Map<string, number>();
  const kilobytes = (status: string, field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  const sample = () => {
    for (const { name, pid } of processes()) {
      if (pid === undefined) continue;
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        continue; // gone already
      }
      const peak = Math.max(kilobytes(status, 'VmRSS'), kilobytes(status, 'VmHWM'));
      peakKb.set(name, Math.max(peakKb.get(name) ?? 0, peak));
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    /** Peak MB per name, in the order first seen. */
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return Object.fromEntries([...peakKb].map(([name, kb]) => [name, Math.round(kb / 1024)]));
    },
  };
}

/** The pid of a running child of this process whose command line contains `fragment`. */
export function childPid(fragment: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(fragment))
        return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}
