import { describe, expect, it } from 'vitest';
import { decideFault, FaultBook, sampleLatency, type Fault } from './fault-plan.ts';

const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

describe('decideFault', () => {
  it('when there is no fault, or it has expired, then nothing happens', () => {
    expect(decideFault(undefined, 0, Math.random)).toEqual({ action: 'none', delayMs: 0 });
    const expired: Fault = { errors: { rate: 1, code: 131000 }, expiresAtMs: 100 };
    expect(decideFault(expired, 100, Math.random)).toEqual({ action: 'none', delayMs: 0 });
  });

  it('when the number is down, then the outage wins over everything else', () => {
    expect(decideFault({ outage: { mode: 'refused', code: 131016 }, hang: { rate: 1 } }, 0, Math.random)).toEqual({
      action: 'refuse',
    });
    expect(decideFault({ outage: { mode: '5xx', code: 131016 } }, 0, Math.random)).toEqual({
      action: 'error',
      code: 131016,
      delayMs: 0,
    });
  });

  it('when requests hang at a rate, then the draw decides each one', () => {
    const fault: Fault = { hang: { rate: 0.5 } };
    expect(decideFault(fault, 0, () => 0.2).action).toBe('hang');
    expect(decideFault(fault, 0, () => 0.7).action).toBe('none');
  });

  it('when errors are injected, then they come after the latency with the chosen code and status', () => {
    const fault: Fault = { latency: { fixedMs: 250 }, errors: { rate: 0.1, code: 131000, httpStatus: 502 } };
    expect(decideFault(fault, 0, () => 0.05)).toEqual({ action: 'error', code: 131000, httpStatus: 502, delayMs: 250 });
    expect(decideFault(fault, 0, () => 0.5)).toEqual({ action: 'none', delayMs: 250 });
  });
});

describe('sampleLatency', () => {
  it('draws fixed, uniform and log-normal latencies', () => {
    expect(sampleLatency({ fixedMs: 40 }, Math.random)).toBe(40);
    expect(sampleLatency({ minMs: 100, maxMs: 200 }, () => 0.5)).toBe(150);
    // The median of the log-normal sits where the normal draw is 0 (cos(π/2) = 0).
    expect(sampleLatency({ medianMs: 80, p99Ms: 800 }, sequence(0.5, 0.25))).toBe(80);
  });

  it('when many log-normal draws are taken, then about 1% exceed the 99th percentile', () => {
    const draws = Array.from({ length: 20_000 }, () => sampleLatency({ medianMs: 50, p99Ms: 500 }, Math.random));
    const over = draws.filter((value) => value > 500).length / draws.length;
    expect(over).toBeGreaterThan(0.003);
    expect(over).toBeLessThan(0.02);
  });
});

describe('FaultBook', () => {
  it('when a number has no fault of its own, then the wildcard applies; an expired fault disappears', () => {
    const book = new FaultBook();
    book.set('*', { errors: { rate: 1, code: 131016 } }, 0);
    book.set('111', { hang: { rate: 1 }, durationMs: 1_000 }, 0);
    expect(book.for('111', 10)?.hang).toEqual({ rate: 1 });
    expect(book.for('222', 10)?.errors?.code).toBe(131016);
    expect(book.for('111', 1_000)?.errors?.code).toBe(131016);
    expect(Object.keys(book.list(1_000))).toEqual(['*']);
  });

  it('refuses a fault with an unknown field or an impossible range', () => {
    const book = new FaultBook();
    expect(() => book.set('1', { latency: { minMs: 10, maxMs: 5 } }, 0)).toThrow();
    expect(() => book.set('1', { bogus: true } as never, 0)).toThrow();
  });
});
