import type { SendComponent } from './send-request.ts';

/** One accepted message as the sender wrote it, for tests to assert on the values Meta received. */
export interface SentMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  acceptedAt: string;
  bizOpaqueCallbackData?: string;
  template?: { name: string; language: string; components: SendComponent[] };
  text?: string;
}

export interface SentQuery {
  to?: string;
  template?: string;
  phoneNumberId?: string;
  limit?: number;
}

/**
 * The most recent accepted messages, oldest forgotten first once `capacity` is reached, so a
 * benchmark's hundred thousand sends cost a bounded amount of memory.
 */
export class SentLog {
  readonly #capacity: number;
  readonly #byId = new Map<string, SentMessage>();

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  record(message: SentMessage): void {
    this.#byId.set(message.id, message);
    if (this.#byId.size > this.#capacity) this.#byId.delete(this.#byId.keys().next().value!);
  }

  get(id: string): SentMessage | undefined {
    return this.#byId.get(id);
  }

  /** Newest first. */
  find(query: SentQuery): SentMessage[] {
    const limit = query.limit ?? 100;
    const found: SentMessage[] = [];
    for (const message of [...this.#byId.values()].reverse()) {
      if (found.length >= limit) break;
      if (query.to !== undefined && message.to !== query.to) continue;
      if (query.phoneNumberId !== undefined && message.phoneNumberId !== query.phoneNumberId) continue;
      if (query.template !== undefined && message.template?.name !== query.template) continue;
      found.push(message);
    }
    return found;
  }

  clear(): void {
    this.#byId.clear();
  }
}
