/** A call waiting for its group, with the lane it queues in and its number of messages. */
export interface Queued {
  readonly lane: string;
  readonly size: number;
}

/**
 * The consumer's waiting calls, one FIFO lane per credential: a group takes one call from each
 * lane in turn (the lane served last goes to the back), so a credential that floods the server
 * waits behind its own calls, not in front of every other desk's. Within a lane, and so within
 * one connection, calls keep their order. With one lane it is a plain FIFO.
 */
export class FairQueue<T extends Queued> {
  readonly #lanes = new Map<string, T[]>();
  #length = 0;
  #messages = 0;

  /** Calls waiting. */
  get length(): number {
    return this.#length;
  }

  /** Messages in the calls waiting. */
  get messages(): number {
    return this.#messages;
  }

  push(item: T): void {
    const lane = this.#lanes.get(item.lane);
    if (lane) lane.push(item);
    else this.#lanes.set(item.lane, [item]);
    this.#length++;
    this.#messages += item.size;
  }

  /**
   * Takes the calls of one group, round-robin over the lanes, while they fit in `maxMessages`
   * (always at least one call, however big).
   */
  takeGroup(maxMessages: number): T[] {
    const group: T[] = [];
    let messages = 0;
    while (this.#lanes.size > 0) {
      for (const [key, lane] of [...this.#lanes]) {
        const next = lane[0] as T;
        if (group.length > 0 && messages + next.size > maxMessages) return this.#took(group, messages);
        lane.shift();
        group.push(next);
        messages += next.size;
        this.#lanes.delete(key);
        if (lane.length > 0) this.#lanes.set(key, lane); // to the back of the round
      }
    }
    return this.#took(group, messages);
  }

  #took(group: T[], messages: number): T[] {
    this.#length -= group.length;
    this.#messages -= messages;
    return group;
  }
}
