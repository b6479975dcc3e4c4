import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` as Meta sends it: the hex HMAC-SHA256 of the exact bytes posted, keyed with the app secret. */
export const signatureOf = (rawBody: string | Buffer, appSecret: string) =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
