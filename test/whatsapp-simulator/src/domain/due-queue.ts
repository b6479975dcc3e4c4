interface Entry<T> {
  atMs: number;
  sequence: number;
  item: T;
}

/**
 * A min-heap of work by due time, so thousands of pending webhooks need one timer, not one each.
 * Items due at the same moment come out in the order they went in.
 */
export class DueQueue<T> {
  readonly #heap: Entry<T>[] = [];
  #sequence = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(atMs: number, item: T): void {
    this.#heap.push({ atMs, sequence: this.#sequence++, item });
    this.#up(this.#heap.length - 1);
  }

  nextDueMs(): number | undefined {
    return this.#heap[0]?.atMs;
  }

  /** Removes and returns, earliest first, every item due at or before `nowMs`. */
  popDue(nowMs: number): T[] {
    const due: T[] = [];
    while (this.#heap.length > 0 && this.#heap[0]!.atMs <= nowMs) due.push(this.#pop());
    return due;
  }

  clear(): void {
    this.#heap.length = 0;
  }

  #before(a: Entry<T>, b: Entry<T>) {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence);
  }

  #pop(): T {
    const top = this.#heap[0]!;
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
    return top.item;
  }

  #up(index: number) {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #down(index: number) {
    const heap = this.#heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
