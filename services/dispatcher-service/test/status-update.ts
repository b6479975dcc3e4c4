import type { StatusUpdate } from '../src/domain/ports.ts';

/** A status as the status consumer hands it to the store, now, with whatever `extra` adds. */
export const statusUpdate = (
  wamid: string,
  status: StatusUpdate['status'],
  extra: Partial<StatusUpdate> = {},
): StatusUpdate => ({
  wamid,
  messageId: undefined,
  status,
  occurredAt: new Date().toISOString(),
  errorCode: undefined,
  errorMessage: undefined,
  errorTitle: undefined,
  pricing: undefined,
  ...extra,
});
