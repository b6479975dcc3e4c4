import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests held open on purpose (a "hang" fault): each is answered by nothing until the client gives
 * up and closes the connection, or until the simulator stops and closes it.
 */
export class HungRequests {
  readonly #sockets = new Set<Socket>();

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
