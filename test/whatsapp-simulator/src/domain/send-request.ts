import { z } from 'zod';
import { metaError, type MetaError } from './meta-errors.ts';

/** Named placeholders are lowercase letters, digits and `_`, as Meta's template editor allows. */
const parameterName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, 'must be lowercase letters, digits and _')
  .optional();

const media = z
  .object({
    link: z.url().optional(),
    id: z.string().min(1).optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
  })
  .refine((value) => value.link !== undefined || value.id !== undefined, { message: 'needs a link or an id' });

/** Meta's examples write coordinates as strings; SDKs send numbers. Either must be a real coordinate. */
const coordinate = (limit: number) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal coordinate')])
    .transform(Number)
    .refine((value) => Math.abs(value) <= limit, `must be between -${limit} and ${limit}`);

export const sendParameterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), parameter_name: parameterName }),
  z.object({
    type: z.literal('currency'),
    currency: z.object({
      fallback_value: z.string(),
      code: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
      amount_1000: z.number().int(),
    }),
    parameter_name: parameterName,
  }),
  z.object({
    type: z.literal('date_time'),
    date_time: z.object({ fallback_value: z.string() }),
    parameter_name: parameterName,
  }),
  z.object({ type: z.literal('image'), image: media }),
  z.object({ type: z.literal('video'), video: media }),
  z.object({ type: z.literal('document'), document: media }),
  z.object({ type: z.literal('payload'), payload: z.string() }),
  z.object({
    type: z.literal('location'),
    location: z.object({
      latitude: coordinate(90),
      longitude: coordinate(180),
      name: z.string().min(1),
      address: z.string().min(1),
    }),
  }),
  z.object({ type: z.literal('coupon_code'), coupon_code: z.string() }),
]);
export type SendParameter = z.output<typeof sendParameterSchema>;

export const sendComponentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), parameters: z.array(sendParameterSchema) }),
  z.object({ type: z.literal('body'), parameters: z.array(sendParameterSchema) }),
  z.object({
    type: z.literal('button'),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code']),
    // Meta takes the index as a string in its examples and as a number from some SDKs.
    index: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]).transform(Number),
    parameters: z.array(sendParameterSchema),
  }),
]);
export type SendComponent = z.output<typeof sendComponentSchema>;

const sendBodySchema = z.object({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().min(1),
  type: z.enum(['template', 'text']).default('text'),
  biz_opaque_callback_data: z
    .string()
    .refine((value) => Buffer.byteLength(value) <= 512, 'must be at most 512 bytes')
    .optional(),
  template: z
    .object({
      name: z.string().min(1),
      language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }),
      components: z.array(sendComponentSchema).optional(),
    })
    .optional(),
  text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
});

export type SendRequest =
  | {
      type: 'template';
      to: string;
      waId: string;
      bizOpaque?: string;
      template: { name: string; language: string; components: SendComponent[] };
    }
  | { type: 'text'; to: string; waId: string; bizOpaque?: string; text: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: MetaError };

const pathOf = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)),
    '',
  );

/**
 * Meta takes `to` with or without the plus sign and with the usual separators, and answers with the
 * digits alone as `wa_id`. Anything else is not a phone number at all.
 */
export function waIdOf(to: string): string | undefined {
  const digits = to.replace(/[\s()+-]/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : undefined;
}

/** Reads a send request as the Cloud API does: structure problems are 100, bad values 131009. */
export function parseSendRequest(body: unknown): Parsed<SendRequest> {
  const result = sendBodySchema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { ok: false, error: metaError(100, `Param ${pathOf(issue.path) || 'body'} ${issue.message}`.trim()) };
  }
  const data = result.data;
  const waId = waIdOf(data.to);
  if (!waId) return { ok: false, error: metaError(131009, 'Param to must be a phone number in international format.') };
  const bizOpaque = data.biz_opaque_callback_data === undefined ? {} : { bizOpaque: data.biz_opaque_callback_data };
  if (data.type === 'template') {
    if (!data.template)
      return { ok: false, error: metaError(100, 'Param template is required when type is template.') };
    return {
      ok: true,
      value: {
        type: 'template',
        to: data.to,
        waId,
        ...bizOpaque,
        template: {
          name: data.template.name,
          language: data.template.language.code,
          components: data.template.components ?? [],
        },
      },
    };
  }
  if (!data.text) return { ok: false, error: metaError(100, 'Param text is required when type is text.') };
  return { ok: true, value: { type: 'text', to: data.to, waId, ...bizOpaque, text: data.text.body } };
}

/** The key the statistics count sends under: the sender's own id when it gave one. */
export const messageKeyOf = (request: SendRequest) =>
  request.bizOpaque ??
  (request.type === 'template'
    ? `${request.waId}:${request.template.name}:${request.template.language}`
    : `${request.waId}:text`);
