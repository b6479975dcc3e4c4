import type { ServiceProcess } from '@ektola/platform/testing';

export interface PassSummaryLine {
  campaignsSeen: number;
  runsCreated: number;
  runsExisting: number;
  skipped: number;
  notDue: number;
  errors: number;
  evaluatedAt: string;
  ok: boolean;
  failure?: string;
}

/** The one JSON line a scheduler pass ends with. */
export function summaryOf(process: ServiceProcess): PassSummaryLine {
  const line = process
    .output()
    .split('\n')
    .find((candidate) => /"msg":"scheduler pass (finished|failed)"/.test(candidate));
  if (!line) throw new Error(`no summary line in:\n${process.output()}`);
  return JSON.parse(line) as PassSummaryLine;
}
