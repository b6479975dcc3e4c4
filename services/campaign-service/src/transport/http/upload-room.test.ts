import { describe, expect, it } from 'vitest';
import { createUploadRoom, isUploadRoomFull } from './upload-room.ts';

describe('createUploadRoom', () => {
  it('when uploads together would hold more than the room, then the one that would overflow it is refused with a 503', () => {
    const room = createUploadRoom(100);
    const first = room.claim();
    const second = room.claim();
    first.take(60);
    second.take(40);
    let refusal: unknown;
    try {
      second.take(1);
    } catch (error) {
      refusal = error;
    }
    expect(isUploadRoomFull(refusal)).toBe(true);
    expect(refusal).toMatchObject({ kind: 'unavailable', code: 'uploads_busy' });
  });

  it('when an upload releases its room, then all it held is free again, and releasing twice frees nothing more', () => {
    const room = createUploadRoom(100);
    const first = room.claim();
    first.take(30);
    first.take(70);
    first.release();
    first.release();
    const second = room.claim();
    second.take(100);
    expect(() => room.claim().take(1)).toThrow(/send this one again later/);
  });
});
