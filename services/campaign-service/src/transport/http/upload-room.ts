import { DomainError } from '@ektola/platform/errors';

/** Seconds a refused upload is told to wait before it is sent again (`Retry-After`). */
export const uploadRoomRetryAfterSeconds = 30;

const uploadRoomFull = (limitBytes: number) =>
  new DomainError(
    'unavailable',
    `uploads waiting to be imported fill the ${limitBytes} bytes kept for them; send this one again later`,
    { code: 'uploads_busy' },
  );

export const isUploadRoomFull = (error: unknown) => error instanceof DomainError && error.code === 'uploads_busy';

/** Room one upload holds in the temporary directory; `release` gives it all back (once the file is gone). */
export interface UploadRoomClaim {
  /** Takes room for `bytes` more; throws the 503 (`uploads_busy`) when the directory's room is used up. */
  take(bytes: number): void;
  release(): void;
}

/**
 * The bytes of contact uploads on the temporary directory's disk, whether they are arriving, waiting for
 * their import or being imported. Every upload is written there as it arrives, however many imports
 * wait: a body left unread while it waited would reach the server's request timeout and be answered
 * 408. This room bounds the directory instead (in Kubernetes, an `emptyDir` whose size limit evicts
 * the pod): an upload is refused with a 503, to send again later, as soon as its bytes would overflow it.
 */
export function createUploadRoom(limitBytes: number) {
  let used = 0;
  return {
    claim(): UploadRoomClaim {
      let held = 0;
      return {
        take(bytes) {
          if (used + bytes > limitBytes) throw uploadRoomFull(limitBytes);
          used += bytes;
          held += bytes;
        },
        release() {
          used -= held;
          held = 0;
        },
      };
    },
  };
}
