import { readFileSync } from 'node:fs';

/** Resident memory of a process now, in kB (0 once it is gone). */
function residentKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Downloads a run's messages.csv as a client would, reading the stream to its end, while sampling the
 * campaign-service's resident memory every 100 ms. The high-water mark is not used: it would carry the
 * contact import's peak from before the export.
 */
export async function measureCsvExport(options: {
  apiUrl: string;
  apiKey: string;
  runId: string;
  campaignPid: number | undefined;
}): Promise<{ seconds: number; rows: number; peakRssMb: number; rssBeforeMb: number }> {
  const pid = options.campaignPid;
  const before = pid === undefined ? 0 : residentKb(pid);
  let peak = before;
  const timer = setInterval(() => {
    if (pid !== undefined) peak = Math.max(peak, residentKb(pid));
  }, 100);
  const started = performance.now();
  try {
    const response = await fetch(`${options.apiUrl}/v1/runs/${options.runId}/messages.csv`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
    if (response.status !== 200 || !response.body)
      throw new Error(`messages.csv answered ${response.status}: ${await response.text()}`);
    let lines = 0;
    for await (const chunk of response.body) {
      for (const byte of chunk as Uint8Array) if (byte === 10) lines++;
    }
    return {
      seconds: (performance.now() - started) / 1000,
      rows: lines - 1,
      peakRssMb: Math.round(Math.max(peak, pid === undefined ? 0 : residentKb(pid)) / 1024),
      rssBeforeMb: Math.round(before / 1024),
    };
  } finally {
    clearInterval(timer);
  }
}
