import type { EventFrame } from '@av-gym/protocol';
import type { ReloadNotice } from './service-events.js';

/**
 * The client's position in the server's event sequence: what `hello.resume` asks for, whether
 * a welcome means "reload over HTTP", and which events are new (replays after a resume may
 * overlap what was already applied; those are skipped).
 */
export class EventStream {
  #lastSeq: number | undefined;
  #resumeSent = false;

  /** The last event seq applied; undefined before the first welcome. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /** The `resume` field of the next hello, if there is anything to resume from. */
  resumeField(): { lastEventSeq: number } | undefined {
    this.#resumeSent = this.#lastSeq !== undefined;
    return this.#lastSeq === undefined ? undefined : { lastEventSeq: this.#lastSeq };
  }

  /**
   * Takes the welcome's `eventSeq` and `resumed`. Without a replay the client starts from the
   * server's current seq; if it had asked to resume, the gap is lost and the app must reload.
   */
  welcome(eventSeq: number, resumed: boolean): ReloadNotice | undefined {
    const reload = this.#resumeSent && !resumed;
    if (!resumed) this.#lastSeq = eventSeq;
    return reload ? { reason: 'resume_failed', eventSeq } : undefined;
  }

  /** The (decoded) event if it is new; undefined for a repeat, which is to be skipped. */
  accept(event: EventFrame): EventFrame | undefined {
    if (this.#lastSeq !== undefined && event.seq <= this.#lastSeq) return undefined;
    this.#lastSeq = event.seq;
    return event;
  }
}
