/**
 * The event types a webhook endpoint may subscribe to: the contract between the public API, which
 * validates subscriptions, and the callback-service, which delivers them. `message.replied` joins
 * once replies have an event of their own.
 */
export const callbackEventTypes = [
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.skipped',
  'message.replied',
  'run.completed',
  'contact.opted_out',
  'contact.opted_in',
  'template.status_changed',
  'account.alert',
  'ping',
] as const;
export type CallbackEventType = (typeof callbackEventTypes)[number];
