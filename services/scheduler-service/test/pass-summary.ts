import type { ServiceProcess } from '@ektola/platform/testing';
import type { PassSummary } from '../src/domain/scheduler-pass.ts';

export interface PassSummaryLine extends PassSummary {
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
