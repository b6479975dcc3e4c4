import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Requests held open on purpose: a "hang" fault answers nothing until the client gives up and closes
 * the connection, or until the simulator stops and closes it; a latency fault answers late, and a
 * stop waits for those answers before closing connections.
 */
export class HeldRequests {
  readonly #sockets = new Set<Socket>();
  readonly #delayed = new Set<Promise<unknown>>();

  async delay(ms: number): Promise<void> {
    const waiting = sleep(ms);
    this.#delayed.add(waiting);
    try {
      await waiting;
    } finally {
      this.#delayed.delete(waiting);
    }
  }

  async delayedSettled(): Promise<void> {
    await Promise.allSettled(this.#delayed);
  }

  hold(request: IncomingMessage): Promise<void> {
    const socket = request.socket;
    this.#sockets.add(socket);
    return new Promise((resolve) => {
      socket.once('close', () => {
        this.#sockets.delete(socket);
        resolve();
      });
    });
  }

  get size(): number {
    return this.#sockets.size;
  }

  releaseAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}
