import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCodes } from 'fastify';
import pLimit from 'p-limit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { invalid } from '@ektola/platform/errors';
import type { Clock } from '@ektola/platform/clock';
import { deleteContact } from '../../domain/delete-contact.ts';
import { importContacts } from '../../domain/import-contacts.ts';
import { setContactOptOut } from '../../domain/opt-out-contact.ts';
import type { ContactDirectory, Transactions } from '../../domain/ports.ts';
import { normalisePhone } from '../../domain/contact-row.ts';
import { decide } from '../../domain/idempotency.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';
import { csvRecords, hashingLimiter, uploadHash } from './csv-records.ts';
import { idempotencyConflict, replay } from './idempotency.ts';
import { spoolUpload } from './upload-spool.ts';
import { createUploadRoom, isUploadRoomFull, uploadRoomRetryAfterSeconds } from './upload-room.ts';
import { presentContact } from './presenters.ts';
import {
  contactQuery,
  contactSchema,
  createContactBody,
  errorSchema,
  idParams,
  importResultSchema,
  pageOf,
  patchContactBody,
} from './schemas.ts';

export interface ContactRouteDependencies {
  contacts: ContactDirectory;
  transactions: Transactions;
  clock: Clock;
  metrics: CampaignMetrics;
  defaultCountry: CountryCode;
  uploadLimitBytes: number;
  importBatchSize: number;
  /** Uploads imported at once; more wait their turn, already written to the temporary directory. */
  importsAtOnce: number;
  /** Bytes of uploads the temporary directory holds at once (see createUploadRoom). */
  uploadRoomBytes: number;
}

const tags = ['contacts'];
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

function phoneOrFail(raw: string, defaultCountry: CountryCode): string {
  const phone = normalisePhone(raw, defaultCountry);
  if (!phone)
    throw invalid('the phone number is not valid', [
      { path: 'body.phone', message: `${raw} is not a valid phone number` },
    ]);
  return phone;
}

/** The uploaded file as bytes: a multipart file field, or the request body itself when it is text/csv. */
async function uploadedFile(request: FastifyRequest, limitBytes: number): Promise<Readable> {
  if (request.isMultipart()) {
    // One byte over the limit reaches the handler's own limiter, which fails the import with a 413
    // (the plugin on its own would only truncate the file).
    const file: MultipartFile | undefined = await request.file({ limits: { fileSize: limitBytes + 1, files: 1 } });
    if (!file)
      throw invalid('the multipart upload has no file', [
        { path: 'body.file', message: 'attach the CSV as a file field' },
      ]);
    return file.file;
  }
  if (request.body instanceof Readable) return request.body;
  throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type'] ?? '(none)');
}

export function contactRoutes(app: FastifyInstance, deps: ContactRouteDependencies) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const importing = pLimit(deps.importsAtOnce);
  const uploadRoom = createUploadRoom(deps.uploadRoomBytes);

  // CSV bodies reach the handler as a stream, written to a file as they arrive, never held whole in memory.
  app.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    const length = Number(request.headers['content-length']);
    if (length > deps.uploadLimitBytes) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
    done(null, payload);
  });

  api.post(
    '/v1/contacts/upload',
    {
      config: { permission: 'write', streamedBody: true },
      bodyLimit: deps.uploadLimitBytes,
      schema: {
        tags,
        summary: 'Import contacts from a CSV file',
        description:
          'Send the CSV as a text/csv body or as the file of a multipart/form-data form. The first row is a header; phone is required, name and tags (;-separated) are optional, and every other column becomes a custom attribute. A row with a bad phone is rejected with its line number while the other rows import; a phone seen before updates that contact. The import is one transaction: a body over the limit, a record over 64 KiB or a header over 1,000 columns (413) imports nothing. Uploads are written to disk as they arrive while earlier ones import; one that would overflow the room kept for them is a 503 with Retry-After, to send again.',
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 200: importResultSchema, ...errors, 413: errorSchema, 415: errorSchema, 503: errorSchema },
      },
    },
    async (request, reply) => {
      const file = await uploadedFile(request, deps.uploadLimitBytes);
      const hash = uploadHash();
      const room = uploadRoom.claim();
      try {
        // Written as it arrives, before the import's turn: an unread body would meet the request timeout.
        const spool = await spoolUpload(file, hashingLimiter(hash, deps.uploadLimitBytes, room), tmpdir()).catch(
          (error: unknown) => {
            if (isUploadRoomFull(error)) void reply.header('retry-after', String(uploadRoomRetryAfterSeconds));
            throw error;
          },
        );
        try {
          return await importing(async () => {
            const claim = request.idempotency;
            if (claim?.earlier) {
              const decision = decide(claim.earlier, hash.digest('hex'));
              if (decision.action === 'replay') return replay(reply, decision.response);
              throw idempotencyConflict(decision.action === 'conflict' ? decision.reason : 'different_request');
            }
            const result = await importContacts(
              { contacts: deps.contacts, logger: request.log },
              csvRecords(spool.read()),
              {
                defaultCountry: deps.defaultCountry,
                batchSize: deps.importBatchSize,
              },
            );
            deps.metrics.contactsImported(result);
            request.log.info(
              { imported: result.imported, updated: result.updated, rejected: result.rejectedCount },
              'contacts imported',
            );
            if (claim) claim.fingerprint = hash.digest('hex');
            return result;
          });
        } finally {
          await spool.remove();
        }
      } finally {
        room.release();
      }
    },
  );

  api.post(
    '/v1/contacts',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Create a contact',
        body: createContactBody,
        response: { 201: contactSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { phone, name, tags: contactTags, attributes } = request.body;
      const contact = await deps.contacts.create({
        phone: phoneOrFail(phone, deps.defaultCountry),
        name: name ?? null,
        tags: [...new Set(contactTags)],
        attributes: attributes as Record<string, string>,
      });
      return reply.code(201).send(presentContact(contact));
    },
  );

  api.get(
    '/v1/contacts',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List contacts, optionally by tag or a search of name and phone',
        querystring: contactQuery,
        response: { 200: pageOf(contactSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.contacts.list(request.query);
      return { items: page.items.map(presentContact), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/v1/contacts/:id',
    {
      config: { permission: 'read' },
      schema: { tags, summary: 'Get a contact', params: idParams, response: { 200: contactSchema, ...errors } },
    },
    async (request) => presentContact(await deps.contacts.get(request.params.id)),
  );

  api.patch(
    '/v1/contacts/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Change a contact (attributes are replaced as a whole)',
        params: idParams,
        body: patchContactBody,
        response: { 200: contactSchema, ...errors },
      },
    },
    async (request) => {
      const { phone, name, tags: contactTags, attributes } = request.body;
      const contact = await deps.contacts.update(request.params.id, {
        phone: phone === undefined ? undefined : phoneOrFail(phone, deps.defaultCountry),
        name,
        tags: contactTags && [...new Set(contactTags)],
        attributes,
      });
      return presentContact(contact);
    },
  );

  api.delete(
    '/v1/contacts/:id',
    {
      config: { permission: 'write' },
      schema: { tags, summary: 'Delete a contact', params: idParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await deleteContact(deps, request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const [action, optedOut] of [
    ['opt-out', true],
    ['opt-in', false],
  ] as const) {
    api.post(
      `/v1/contacts/:id/${action}`,
      {
        config: { permission: 'write' },
        schema: {
          tags,
          summary: optedOut ? 'Stop messaging a contact' : 'Allow messaging a contact again',
          params: idParams,
          response: { 200: contactSchema, ...errors },
        },
      },
      async (request) => presentContact(await setContactOptOut(deps, request.params.id, optedOut)),
    );
  }
}
