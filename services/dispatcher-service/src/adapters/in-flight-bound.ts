import pLimit from 'p-limit';
import type { CloudApi } from '../domain/ports.ts';

/**
 * At most `maxInFlight` Cloud API calls at once: as many as the HTTP client has connections. Beyond
 * them a request would wait inside the client's pool and leave after its rate slot ended, so sends
 * taken in several slots could reach Meta together, above the number's limit in one second. Here a
 * send waits for a free connection instead, and one whose slot passed meanwhile is refused unsent (it
 * goes back PENDING, its token refunded).
 */
export function boundInFlight(api: CloudApi, maxInFlight: number): CloudApi {
  const limit = pLimit(maxInFlight);
  return {
    send: (message, leaveBy = Number.POSITIVE_INFINITY) =>
      limit(() =>
        performance.now() > leaveBy
          ? { kind: 'refused', reason: 'the rate slot passed while every connection was busy', probe: false }
          : api.send(message, leaveBy),
      ),
  };
}
