import pLimit from 'p-limit';

/**
 * A dispatcher fanning out a run sends fewer batches at once until the run is stored. On a busy
 * replica the fan-out and the sends share its cores, and every batch sent meanwhile delays the moment
 * the whole run is stored, counted and cancellable as one; a few batches in flight still keep a number
 * near its limit against Meta's answer times, since each batch's sends go out together. Other replicas
 * send as before: only the one doing the fan-out makes room for it.
 */
export interface FanOutFirst {
  /** Runs one batch's send within the room sending has now. */
  send<T>(batch: () => Promise<T>): Promise<T>;
  /** Runs a fan-out; while any runs, sending has `whileFanningOut` batches at once. */
  fanOut<T>(fanOut: () => Promise<T>): Promise<T>;
}

export function createFanOutFirst(options: {
  sendConcurrency: number;
  whileFanningOut: number;
  /** Told how many fan-outs run after each starts or ends. */
  onFanOuts?: (count: number) => void;
}): FanOutFirst {
  const sending = pLimit(options.sendConcurrency);
  let fanOuts = 0;
  return {
    send: (batch) => sending(batch),
    async fanOut(fanOut) {
      fanOuts += 1;
      options.onFanOuts?.(fanOuts);
      sending.concurrency = Math.min(options.whileFanningOut, options.sendConcurrency);
      try {
        return await fanOut();
      } finally {
        fanOuts -= 1;
        options.onFanOuts?.(fanOuts);
        if (fanOuts === 0) sending.concurrency = options.sendConcurrency;
      }
    },
  };
}
