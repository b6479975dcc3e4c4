import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClaimedMessage } from '../domain/ports.ts';
import { createBreakingCloudApi } from './circuit-breaker.ts';
import type { CloudApiClient, RawSendResult } from './cloud-api-client.ts';

const message: ClaimedMessage = {
  id: '8d0f2f8e-5a43-5d2b-9e0b-3f1c9a7b6e21',
  runId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  phone: '+919876543210',
  phoneNumberId: 'number-1',
  templateName: 'gold_loan_reminder',
  templateLanguage: 'en',
  componentsJson: '[]',
  attempt: 1,
};

/** A Cloud API that answers with `answer` and counts the calls that reached it. */
function fakeCloudApi(answer: () => RawSendResult) {
  const client = {
    calls: 0,
    async send() {
      client.calls += 1;
      return answer();
    },
    close: async () => undefined,
  } satisfies CloudApiClient & { calls: number };
  return client;
}

const options = { errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 };
const unwell: RawSendResult = { kind: 'rejected', code: 131000, message: 'Something went wrong', httpStatus: 500 };
let shutdown: (() => void) | undefined;

afterEach(() => {
  vi.restoreAllMocks();
  shutdown?.();
});

describe('the circuit breaker around the Cloud API', () => {
  it('when Meta fails more than half the calls of its window, then the circuit opens and later sends are refused without a request', async () => {
    let answer: RawSendResult = { kind: 'accepted', wamid: 'wamid.1' };
    const client = fakeCloudApi(() => answer);
    const api = createBreakingCloudApi(client, options);
    shutdown = api.shutdown;
    for (let call = 0; call < 5; call += 1) await api.send(message);
    answer = unwell;
    const answered = [];
    for (let call = 0; call < 10; call += 1) answered.push((await api.send(message)).kind);
    // It opens once failures pass half of at least 10 calls: 6 of 11.
    expect(answered).toEqual([...Array(6).fill('rejected'), ...Array(4).fill('refused')]);
    expect(api.state()).toBe('open');

    const before = client.calls;
    expect(await api.send(message)).toMatchObject({ kind: 'refused', probe: false });
    expect(client.calls).toBe(before);
  });

  it('when a number or template is refused, then the circuit stays closed: Meta is well, the message is not', async () => {
    const client = fakeCloudApi(() => ({
      kind: 'rejected',
      code: 132001,
      message: 'Template does not exist',
      httpStatus: 404,
    }));
    const api = createBreakingCloudApi(client, options);
    shutdown = api.shutdown;
    for (let call = 0; call < 20; call += 1) await api.send(message);
    expect(api.state()).toBe('closed');
  });

  it('when failures start after thousands of answered calls, then each is judged from the counts, without sorting the window', async () => {
    let answer: RawSendResult = { kind: 'accepted', wamid: 'wamid.1' };
    const api = createBreakingCloudApi(
      fakeCloudApi(() => answer),
      options,
    );
    shutdown = api.shutdown;
    for (let batch = 0; batch < 20; batch += 1)
      await Promise.all(Array.from({ length: 1_000 }, () => api.send(message)));
    answer = unwell;
    const sort = vi.spyOn(Array.prototype, 'sort');
    await Promise.all(Array.from({ length: 200 }, () => api.send(message)));
    expect(sort).not.toHaveBeenCalled();
    expect(api.state()).toBe('closed');
  });
});
