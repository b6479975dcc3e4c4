import { z } from 'zod';
import { badGateway, unavailable, unprocessable } from '@ektola/platform/errors';
import type { NumberReader } from '../domain/ports.ts';
import { digitsOf, type MetaNumber } from '../domain/sender.ts';
import { createGraphApi, type GraphAnswer } from './graph-api.ts';

/**
 * The fields EkTola reads of a number. Meta deprecated `messaging_limit_tier` for
 * `whatsapp_business_manager_messaging_limit` (the portfolio's limit); only the new one is asked for,
 * as a deprecated field can fail the whole request, but an answer carrying the old one is still read.
 */
const fields = [
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'throughput',
  'status',
  'name_status',
  'whatsapp_business_manager_messaging_limit',
].join(',');

const optionalText = z.string().min(1).optional().catch(undefined);

const metaNumberSchema = z.object({
  id: z.string().min(1),
  display_phone_number: optionalText,
  verified_name: optionalText,
  quality_rating: optionalText,
  // Meta gives STANDARD to numbers it has not upgraded; a level EkTola does not know is read as the default.
  throughput: z
    .object({ level: z.enum(['STANDARD', 'HIGH']).catch('STANDARD') })
    .optional()
    .catch(undefined),
  status: optionalText,
  name_status: optionalText,
  whatsapp_business_manager_messaging_limit: z
    .union([z.string().min(1), z.number().transform(String)])
    .optional()
    .catch(undefined),
  messaging_limit_tier: optionalText,
});

/** Graph API codes for an object that does not exist or that the token may not read (100, subcode 33). */
const unknownObjectCode = 100;
/** The access token is invalid or lacks the permission (190 expired or invalid, 10 and 200 permissions). */
const tokenCodes = new Set([190, 10, 200]);

function failureOf(phoneNumberId: string, { status, refusal }: GraphAnswer) {
  const said = refusal ? ` (${refusal.text})` : '';
  if (status >= 500 || status === 429)
    return unavailable(`the WhatsApp Cloud API answered ${status}${said} for phone number ${phoneNumberId}`);
  if (refusal?.code === unknownObjectCode || status === 404)
    return unprocessable(`Meta knows no phone number ${phoneNumberId} that the configured access token can read`, [
      { path: 'phoneNumberId', message: `Meta answered${said || ` ${status}`}` },
    ]);
  if (refusal?.code !== undefined && tokenCodes.has(refusal.code))
    return badGateway(`Meta refused the configured access token${said}`, 'meta_token_refused');
  return badGateway(`the WhatsApp Cloud API answered ${status}${said} for phone number ${phoneNumberId}`);
}

/** A business phone number as the Cloud API describes it (`GET /{phone-number-id}`). */
export function createCloudApiNumberReader(options: {
  baseUrl: string;
  accessToken: string;
  timeoutMs?: number;
}): NumberReader {
  const graph = createGraphApi(options);
  return {
    async read(phoneNumberId) {
      const url = new URL(`${options.baseUrl}/${encodeURIComponent(phoneNumberId)}`);
      url.searchParams.set('fields', fields);
      const answer = await graph.call(url);
      if (answer.status !== 200) throw failureOf(phoneNumberId, answer);
      const parsed = metaNumberSchema.safeParse(answer.body);
      if (!parsed.success)
        throw badGateway(
          `the WhatsApp Cloud API described phone number ${phoneNumberId} in a shape EkTola cannot read`,
        );
      const number = parsed.data;
      const described: MetaNumber = {
        phoneNumberId,
        displayPhoneNumber: number.display_phone_number ? digitsOf(number.display_phone_number) : null,
        verifiedName: number.verified_name ?? null,
        qualityRating: number.quality_rating ?? null,
        throughputLevel: number.throughput?.level ?? 'STANDARD',
        messagingLimitTier: number.whatsapp_business_manager_messaging_limit ?? number.messaging_limit_tier ?? null,
        nameStatus: number.name_status ?? null,
        status: number.status ?? null,
      };
      return described;
    },
  };
}
