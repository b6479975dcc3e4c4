import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { serializeRequest } from './http/request-logger.ts';
import { maskPhone } from './phone.ts';

export type { Logger } from 'pino';

const phoneKeys = ['phone', 'to', 'recipientId', 'recipient_id', 'wa_id', 'waId', 'from', 'input'];
const secretKeys = ['token', 'accessToken', 'apiKey', 'authorization', 'password', 'appSecret', 'secret'];
const nested = (keys: string[]) => keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * JSON logs for every service. Phone numbers are masked and credentials removed by key,
 * wherever they sit in the first three levels of a log object.
 */
export function createLogger(options: { service: string; level?: string }, destination?: DestinationStream): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: serializeRequest },
    redact: {
      paths: [
        ...nested(phoneKeys),
        ...nested(secretKeys),
        'req.headers.authorization',
        'req.headers["x-hub-signature-256"]',
        'headers.authorization',
      ],
      censor: (value: unknown, path: string[]) =>
        phoneKeys.includes(String(path.at(-1))) ? maskPhone(value) : '[redacted]',
    },
  };
  return destination ? pino(config, destination) : pino(config);
}
