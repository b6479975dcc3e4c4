import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '@ektola/platform/errors';
import { exportRunMessages } from '../../domain/export-run-messages.ts';
import type { ContactNames, RateCardStore } from '../../domain/ports.ts';
import type { RateCard } from '../../domain/rate-card.ts';
import { campaignReport, type ReportedResults, type ResultsDependencies } from '../../domain/run-results.ts';
import { messagesCsv } from './messages-csv.ts';
import { presentRun } from './presenters.ts';
import { campaignReportSchema, rateCardBody, rateCardSchema } from './results-schemas.ts';
import { errorSchema, idParams } from './schemas.ts';

export interface ResultsRouteDependencies extends ResultsDependencies {
  rateCards: RateCardStore;
  contactNames: ContactNames;
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 503: errorSchema };

const presentRateCard = (card: RateCard) => ({
  currency: card.currency,
  default: card.default,
  byCallingCode: card.byCallingCode,
  updatedAt: card.updatedAt.toISOString(),
});

const flatten = ({ messages, ...results }: ReportedResults) => ({ ...results, messages });

/** Reports over runs and campaigns, the CSV export of a run's messages, and the rate card that prices them. */
export function resultsRoutes(app: FastifyInstance, deps: ResultsRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/campaigns/:id/report',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['campaigns'],
        summary: "Rates, Meta's errors, pricing and skips over all of a campaign's runs, and per run",
        params: idParams,
        response: { 200: campaignReportSchema, ...errors },
      },
    },
    async (request) => {
      const report = await campaignReport(deps, request.params.id);
      return {
        campaignId: report.campaignId,
        ...flatten(report.total),
        runs: report.runs.map(({ run, results }) => ({ run: presentRun(run), ...flatten(results) })),
      };
    },
  );

  api.get(
    '/v1/runs/:id/messages.csv',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['runs'],
        summary: "Every message of the run as CSV, streamed in id order with the contact's name",
        description:
          "Header: message_id,contact_id,phone,name,status,reason,error_code,error_title,category,billable,sent_at,delivered_at,read_at,failed_at. Text cells starting with =, +, -, @, tab or carriage return get a leading ' so spreadsheets do not run them.",
        params: idParams,
        response: { 200: z.unknown().describe('text/csv, streamed'), ...errors },
      },
    },
    async (request, reply) => {
      const batches = await exportRunMessages(deps, request.params.id);
      const body = Readable.from(messagesCsv(batches), { objectMode: false });
      // A failure once rows are on the wire can only cut the response short; the log says why.
      body.on('error', (error) => request.log.error({ err: error, runId: request.params.id }, 'CSV export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="run-${request.params.id}-messages.csv"`)
        .send(body);
    },
  );

  api.put(
    '/v1/settings/rate-card',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'Set the rate card: what Meta charges per billable message by category and country calling code',
        body: rateCardBody,
        response: { 200: rateCardSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => presentRateCard(await deps.rateCards.replace(request.body)),
  );

  api.get(
    '/v1/settings/rate-card',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['settings'],
        summary: 'The rate card; 404 when none is set',
        response: { 200: rateCardSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async () => {
      const card = await deps.rateCards.current();
      if (!card) throw new DomainError('not_found', 'no rate card is set', { code: 'not_found' });
      return presentRateCard(card);
    },
  );
}
