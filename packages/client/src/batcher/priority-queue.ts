import type { Priority } from '@av-gym/protocol';
import { PRIORITIES, type QueuedMessage } from './queued-message.js';

/** Inserts `msg` into `list` (sorted by `order`); appending is the common, O(1) case. */
function insertSorted(list: QueuedMessage[], msg: QueuedMessage): void {
  const last = list[list.length - 1];
  if (last === undefined || last.order < msg.order) {
    list.push(msg);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.order ?? 0) < msg.order) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, msg);
}

function removeFrom(list: QueuedMessage[], msg: QueuedMessage): void {
  const i = list.indexOf(msg);
  if (i >= 0) list.splice(i, 1);
}

/**
 * Three queues (high, medium, low), each in enqueue order, plus an index by conflict key.
 * `take` picks high before medium before low but never lets a message overtake an earlier
 * message of the same member: picking one picks every earlier queued message of its key too.
 */
export class PriorityQueue {
  readonly #lists: Record<Priority, QueuedMessage[]> = { high: [], medium: [], low: [] };
  readonly #byKey = new Map<string, QueuedMessage[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  sizeOf(priority: Priority): number {
    return this.#lists[priority].length;
  }

  push(msg: QueuedMessage): void {
    insertSorted(this.#lists[msg.priority], msg);
    if (msg.key !== undefined) {
      const list = this.#byKey.get(msg.key);
      if (list) insertSorted(list, msg);
      else this.#byKey.set(msg.key, [msg]);
    }
    this.#size++;
  }

  /** The newest queued message of a member, if any. */
  lastOfKey(key: string): QueuedMessage | undefined {
    const list = this.#byKey.get(key);
    return list?.[list.length - 1];
  }

  /** Moves a queued message to another priority (coalescing may raise it). */
  reprioritize(msg: QueuedMessage, priority: Priority): void {
    if (msg.priority === priority) return;
    removeFrom(this.#lists[msg.priority], msg);
    msg.priority = priority;
    insertSorted(this.#lists[priority], msg);
  }

  /** Removes and returns the oldest message of a priority. */
  shiftOldest(priority: Priority): QueuedMessage | undefined {
    const msg = this.#lists[priority].shift();
    if (msg !== undefined) this.#forget(msg);
    return msg;
  }

  /**
   * Removes and returns up to `max` messages in enqueue order: high first, then medium, then
   * low, each with the earlier queued messages of its member. If one member's backlog alone
   * exceeds `max`, the oldest `max` of it are taken.
   */
  take(max: number): QueuedMessage[] {
    if (this.#size <= max) return this.takeAll();
    const picked = new Set<QueuedMessage>();
    const pickedOfKey = new Map<string, number>();
    outer: for (const p of PRIORITIES) {
      for (const msg of this.#lists[p]) {
        if (picked.has(msg)) continue;
        let needed: QueuedMessage[] = [msg];
        if (msg.key !== undefined) {
          const list = this.#byKey.get(msg.key) ?? [];
          const start = pickedOfKey.get(msg.key) ?? 0;
          needed = list.slice(start, list.indexOf(msg) + 1);
        }
        const room = max - picked.size;
        if (needed.length > room) {
          if (picked.size === 0) needed = needed.slice(0, room);
          else break outer;
        }
        for (const m of needed) picked.add(m);
        if (msg.key !== undefined) pickedOfKey.set(msg.key, (pickedOfKey.get(msg.key) ?? 0) + needed.length);
        if (picked.size >= max) break outer;
      }
    }
    const out = [...picked].sort((a, b) => a.order - b.order);
    for (const msg of out) {
      removeFrom(this.#lists[msg.priority], msg);
      this.#forget(msg);
    }
    return out;
  }

  /** Removes and returns every message in enqueue order. */
  takeAll(): QueuedMessage[] {
    const out = [...this.#lists.high, ...this.#lists.medium, ...this.#lists.low].sort(
      (a, b) => a.order - b.order,
    );
    this.#lists.high = [];
    this.#lists.medium = [];
    this.#lists.low = [];
    this.#byKey.clear();
    this.#size = 0;
    return out;
  }

  #forget(msg: QueuedMessage): void {
    this.#size--;
    if (msg.key === undefined) return;
    const list = this.#byKey.get(msg.key);
    if (!list) return;
    removeFrom(list, msg);
    if (list.length === 0) this.#byKey.delete(msg.key);
  }
}
