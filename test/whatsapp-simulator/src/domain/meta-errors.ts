import { randomBytes } from 'node:crypto';

/**
 * Meta's error catalogue as far as EkTola meets it: each code with the HTTP status Meta answers it
 * with, its title (Meta puts it in `message` as "(#code) title") and a typical `details` sentence.
 * Statuses follow the "HTTP Status Code" column of Meta's error-code reference; the throttling codes
 * 130429 and 131056 come back as 400, not 429, which is what a sender has to be written against.
 */
export interface MetaErrorInfo {
  httpStatus: number;
  title: string;
  details: string;
}

export const metaErrors: Readonly<Record<number, MetaErrorInfo>> = {
  4: {
    httpStatus: 400,
    title: 'Application request limit reached',
    details: 'The app has reached its API call rate limit.',
  },
  100: {
    httpStatus: 400,
    title: 'Invalid parameter',
    details: 'The request included one or more unsupported or misspelled parameters.',
  },
  190: {
    httpStatus: 401,
    title: 'Invalid OAuth access token - Cannot parse access token',
    details: 'The access token is invalid or has expired.',
  },
  368: {
    httpStatus: 403,
    title: 'Temporarily blocked for policies violations',
    details:
      'The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.',
  },
  80007: {
    httpStatus: 400,
    title: 'Rate limit issues',
    details: 'The WhatsApp Business Account has reached its rate limit.',
  },
  130429: { httpStatus: 400, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131000: {
    httpStatus: 500,
    title: 'Something went wrong',
    details: 'Message failed to send due to an unknown error.',
  },
  131008: {
    httpStatus: 400,
    title: 'Required parameter is missing',
    details: 'The request is missing a required parameter.',
  },
  131009: {
    httpStatus: 400,
    title: 'Parameter value is not valid',
    details: 'One or more parameter values are invalid.',
  },
  131016: { httpStatus: 503, title: 'Service unavailable', details: 'A service is temporarily unavailable.' },
  131026: {
    httpStatus: 400,
    title: 'Message undeliverable',
    details:
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted the new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.',
  },
  131031: {
    httpStatus: 403,
    title: 'Account has been locked',
    details: 'The WhatsApp Business Account associated with the app has been restricted or disabled.',
  },
  131042: {
    httpStatus: 400,
    title: 'Business eligibility payment issue',
    details: 'There was an error related to your payment method.',
  },
  131047: {
    httpStatus: 400,
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131048: {
    httpStatus: 400,
    title: 'Spam rate limit hit',
    details:
      'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  },
  131049: {
    httpStatus: 400,
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    httpStatus: 400,
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
    details:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
  },
  131056: {
    httpStatus: 400,
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  131057: {
    httpStatus: 503,
    title: 'Account in maintenance mode',
    details: 'Business Account is in maintenance mode. This could be due to a throughput upgrade.',
  },
  132000: {
    httpStatus: 400,
    title: 'Number of parameters does not match the expected number of params',
    details:
      'The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.',
  },
  132001: {
    httpStatus: 404,
    title: 'Template name does not exist in the translation',
    details: 'The template does not exist in the specified language or the template has not been approved.',
  },
  132005: { httpStatus: 400, title: 'Translated text too long', details: 'Translated text is too long.' },
  132007: {
    httpStatus: 400,
    title: 'Template Format Character Policy Violated',
    details: 'Template content violates a WhatsApp policy.',
  },
  132012: {
    httpStatus: 400,
    title: 'Parameter format does not match format in the created template',
    details: 'Variable parameter values formatted incorrectly.',
  },
  132018: {
    httpStatus: 400,
    title: 'There was an issue with the parameters in your template.',
    details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces.',
  },
  132015: {
    httpStatus: 400,
    title: 'Template is Paused',
    details: 'Template is paused due to low quality so it cannot be sent in a template message.',
  },
  132016: {
    httpStatus: 400,
    title: 'Template is Disabled',
    details: 'Template has been paused too many times due to low quality and is now permanently disabled.',
  },
};

export const isKnownMetaError = (code: number) => code in metaErrors;

/** What the simulator answers a rejected call with, before it becomes an HTTP reply. */
export interface MetaError {
  code: number;
  httpStatus: number;
  body: MetaErrorBody;
}

export interface MetaErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** Graph API trace ids are 23 or so URL-safe characters; only their uniqueness matters to a client. */
export const fbtraceId = () => randomBytes(17).toString('base64url').slice(0, 23);

const fallback = (code: number): MetaErrorInfo => ({
  httpStatus: 400,
  title: 'Unknown error',
  details: `Simulated error ${code}.`,
});

/**
 * Builds an error reply as the Graph API writes it. A token error carries no `error_data`, like
 * Meta's own 190 answers; every WhatsApp error carries `error_data.details`, which Meta tells
 * senders to act on together with `code`.
 */
export function metaError(code: number, details?: string, httpStatus?: number): MetaError {
  const info = metaErrors[code] ?? fallback(code);
  const status = httpStatus ?? info.httpStatus;
  if (code === 190) {
    return {
      code,
      httpStatus: status,
      body: { error: { message: info.title, type: 'OAuthException', code, fbtrace_id: fbtraceId() } },
    };
  }
  return {
    code,
    httpStatus: status,
    body: {
      error: {
        message: `(#${code}) ${info.title}`,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: details ?? info.details },
        fbtrace_id: fbtraceId(),
      },
    },
  };
}

/** The `errors[]` entry of a `failed` status or of `value.errors`, as Meta's webhooks carry it. */
export interface WebhookError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

export function webhookError(code: number, details?: string): WebhookError {
  const info = metaErrors[code] ?? fallback(code);
  return {
    code,
    title: info.title,
    message: info.title,
    error_data: { details: details ?? info.details },
    href: '/docs/whatsapp/cloud-api/support/error-codes/',
  };
}
