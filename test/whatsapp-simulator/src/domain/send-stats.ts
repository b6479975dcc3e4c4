import { SlidingPeak } from './rate-window.ts';

interface PhoneStats {
  attempts: number;
  accepted: number;
  rejected: number;
  acceptedPeak: SlidingPeak;
  attemptPeak: SlidingPeak;
}

export interface SendStatsSnapshot {
  accepted: number;
  rejected: Record<string, number>;
  rejectedTotal: number;
  phoneNumbers: Record<
    string,
    { attempts: number; accepted: number; rejected: number; maxPerSecond: number; maxAttemptsPerSecond: number }
  >;
  messageKeys: { distinct: number; duplicates: number; repeated: Record<string, number>; repeatedTruncated: boolean };
}

/**
 * What a test asks the simulator afterwards: how many sends were accepted and why others were not,
 * how often each message key was accepted (a key sent twice is a duplicate the sender let through),
 * and the busiest second per phone number, accepted and attempted.
 */
export class SendStats {
  #accepted = 0;
  readonly #rejected = new Map<number, number>();
  readonly #keys = new Map<string, number>();
  #duplicates = 0;
  readonly #phones = new Map<string, PhoneStats>();

  #phone(phoneNumberId: string): PhoneStats {
    let stats = this.#phones.get(phoneNumberId);
    if (!stats) {
      stats = {
        attempts: 0,
        accepted: 0,
        rejected: 0,
        acceptedPeak: new SlidingPeak(),
        attemptPeak: new SlidingPeak(),
      };
      this.#phones.set(phoneNumberId, stats);
    }
    return stats;
  }

  attempted(phoneNumberId: string, nowMs: number): void {
    const stats = this.#phone(phoneNumberId);
    stats.attempts += 1;
    stats.attemptPeak.record(nowMs);
  }

  accepted(phoneNumberId: string, messageKey: string, nowMs: number): void {
    this.#accepted += 1;
    const stats = this.#phone(phoneNumberId);
    stats.accepted += 1;
    stats.acceptedPeak.record(nowMs);
    const count = (this.#keys.get(messageKey) ?? 0) + 1;
    this.#keys.set(messageKey, count);
    if (count > 1) this.#duplicates += 1;
  }

  rejected(phoneNumberId: string, code: number): void {
    this.#rejected.set(code, (this.#rejected.get(code) ?? 0) + 1);
    this.#phone(phoneNumberId).rejected += 1;
  }

  /** One number's sends and busiest second, without building a whole snapshot. */
  ofNumber(phoneNumberId: string): { attempts: number; accepted: number; rejected: number; maxPerSecond: number } {
    const stats = this.#phones.get(phoneNumberId);
    return {
      attempts: stats?.attempts ?? 0,
      accepted: stats?.accepted ?? 0,
      rejected: stats?.rejected ?? 0,
      maxPerSecond: stats?.acceptedPeak.peak ?? 0,
    };
  }

  sendsOf(messageKey: string): number {
    return this.#keys.get(messageKey) ?? 0;
  }

  /** Accepted and rejected counts alone, cheap enough for every metrics scrape. */
  counts(): { accepted: number; rejected: ReadonlyMap<number, number> } {
    return { accepted: this.#accepted, rejected: this.#rejected };
  }

  /** Repeated keys are listed up to `repeatedLimit`; the totals are always complete. */
  snapshot(repeatedLimit = 1000): SendStatsSnapshot {
    const repeated: Record<string, number> = {};
    let listed = 0;
    let truncated = false;
    for (const [key, count] of this.#keys) {
      if (count < 2) continue;
      if (listed >= repeatedLimit) {
        truncated = true;
        break;
      }
      repeated[key] = count;
      listed += 1;
    }
    const phoneNumbers: SendStatsSnapshot['phoneNumbers'] = {};
    for (const [id, stats] of this.#phones) {
      phoneNumbers[id] = {
        attempts: stats.attempts,
        accepted: stats.accepted,
        rejected: stats.rejected,
        maxPerSecond: stats.acceptedPeak.peak,
        maxAttemptsPerSecond: stats.attemptPeak.peak,
      };
    }
    const rejected = Object.fromEntries([...this.#rejected].map(([code, count]) => [String(code), count]));
    return {
      accepted: this.#accepted,
      rejected,
      rejectedTotal: [...this.#rejected.values()].reduce((sum, count) => sum + count, 0),
      phoneNumbers,
      messageKeys: { distinct: this.#keys.size, duplicates: this.#duplicates, repeated, repeatedTruncated: truncated },
    };
  }
}
