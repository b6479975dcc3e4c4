import type { Run } from './model.ts';
import type { CampaignRepository, DispatchQuery, RateCardStore, RunLedger } from './ports.ts';
import { emptyMessageReport, runResultsOf, sumReports, type MessageReport, type RunResults } from './run-report.ts';

export interface ResultsDependencies {
  campaigns: Pick<CampaignRepository, 'get'>;
  runs: RunLedger;
  dispatch: DispatchQuery;
  rateCards: Pick<RateCardStore, 'current'>;
}

export type ReportedResults = RunResults & { messages: MessageReport['counts'] & { total: number } };

/** Runs asked of the dispatcher per call, within what its GetRunReports accepts. */
const reportChunk = 500;
const runPage = 100;

const reportedOf = (report: MessageReport, rateCard: Awaited<ReturnType<RateCardStore['current']>>) => ({
  ...runResultsOf(report, rateCard),
  messages: { total: report.total, ...report.counts },
});

/** What happened to one run's messages and what they cost, from the dispatcher's aggregates and the rate card. */
export async function runResults(
  deps: Pick<ResultsDependencies, 'dispatch' | 'rateCards'>,
  runId: string,
): Promise<RunResults> {
  const [[report], rateCard] = await Promise.all([deps.dispatch.runReports([runId]), deps.rateCards.current()]);
  return runResultsOf(report ?? emptyMessageReport(), rateCard);
}

/** Every run of a campaign, each with its results, and the results over them all. */
export async function campaignReport(
  deps: ResultsDependencies,
  campaignId: string,
): Promise<{ campaignId: string; total: ReportedResults; runs: Array<{ run: Run; results: ReportedResults }> }> {
  await deps.campaigns.get(campaignId);
  const runs: Run[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.runs.listForCampaign(campaignId, { limit: runPage, cursor });
    runs.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const rateCard = await deps.rateCards.current();
  const reports = new Map<string, MessageReport>();
  for (let start = 0; start < runs.length; start += reportChunk) {
    const chunk = runs.slice(start, start + reportChunk).map((run) => run.id);
    for (const report of await deps.dispatch.runReports(chunk)) reports.set(report.runId, report);
  }
  return {
    campaignId,
    total: reportedOf(sumReports([...reports.values()]), rateCard),
    runs: runs.map((run) => ({ run, results: reportedOf(reports.get(run.id) ?? emptyMessageReport(), rateCard) })),
  };
}
