import type { Clock } from '@ektola/platform/clock';
import type { Sql } from '@ektola/platform/postgres';
import type { GatesOf, NumberGates, SendingAlert, SendingBlocker } from '../domain/ports.ts';
import { createPostgresNumberGate } from './postgres-number-gate.ts';
import { createPostgresRateLimiter, unlimitedRate } from './postgres-rate-limiter.ts';
import type { SenderDirectory } from './postgres-sender-directory.ts';
import { createPostgresTierGate } from './postgres-tier-gate.ts';

export interface NumberGatesConfig {
  /** False only against the simulator or in benchmarks. */
  rateLimit: boolean;
  /** For a number the sender.changed projection does not know (yet). */
  defaultMps: number;
  defaultTierLimit: number | undefined;
  slotMs: number;
  guardMs: number;
  accountPauseMs: number;
  throttlePauseMs: number;
}

/**
 * Each number's gates, made on its first send and kept: its own rate bucket (at the number's mps), its
 * portfolio's daily limit (the projection's messaging limit, else the configured one), and its shared
 * state (account blocks, 130429 pauses). Replicas share all three through PostgreSQL.
 */
export function createNumberGates(options: {
  sql: Sql;
  clock: Clock;
  senders: SenderDirectory;
  config: NumberGatesConfig;
  onRateWait?: (phoneNumberId: string, seconds: number) => void;
  onRateError?: (error: unknown) => void;
  onBlockedChange?: (phoneNumberId: string, blocked: boolean) => void;
}): { gatesOf: GatesOf; blocker: SendingBlocker } {
  const { sql, config } = options;
  const made = new Map<string, NumberGates & { blocker: SendingBlocker }>();

  function make(phoneNumberId: string): NumberGates & { blocker: SendingBlocker } {
    const numbers = createPostgresNumberGate({
      sql,
      phoneNumberId,
      clock: options.clock,
      accountPauseMs: config.accountPauseMs,
      throttlePauseMs: config.throttlePauseMs,
      tierLimit: config.defaultTierLimit,
      onBlockedChange: (blocked) => options.onBlockedChange?.(phoneNumberId, blocked),
    });
    const rate = config.rateLimit
      ? createPostgresRateLimiter({
          sql,
          phoneNumberId,
          defaultMps: config.defaultMps,
          slotMs: config.slotMs,
          guardMs: config.guardMs,
          onWait: (seconds) => options.onRateWait?.(phoneNumberId, seconds),
          onError: options.onRateError,
        })
      : unlimitedRate;
    return {
      rate,
      numbers,
      blocker: numbers,
      async tier() {
        const sender = await options.senders.of(phoneNumberId);
        const limit = sender?.messagingLimit ?? config.defaultTierLimit;
        if (limit === undefined) return undefined;
        return createPostgresTierGate({ sql, portfolioKey: sender?.portfolioKey ?? phoneNumberId, limit });
      },
    };
  }

  function gatesOf(phoneNumberId: string): NumberGates {
    let gates = made.get(phoneNumberId);
    if (!gates) {
      gates = make(phoneNumberId);
      made.set(phoneNumberId, gates);
    }
    return gates;
  }

  /** What holds any number this process sends through (each number gate's account block or tier). */
  const alerts = async (): Promise<SendingAlert[]> =>
    (await Promise.all([...made.values()].map((gates) => gates.blocker.alerts()))).flat();

  return {
    gatesOf,
    blocker: {
      alerts,
      async waitingReason() {
        return (await alerts())[0]?.message;
      },
    },
  };
}
