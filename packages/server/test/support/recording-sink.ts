import type { ServerEvent } from '@av-gym/protocol';
import type { EventSink } from '../../src/consumer/types.js';

/** A sink that keeps what it was given. */
export class RecordingSink implements EventSink {
  readonly published: ServerEvent[][] = [];
  publish(events: ServerEvent[]): void {
    this.published.push(events);
  }
  get all(): ServerEvent[] {
    return this.published.flat();
  }
}
