import type { EventsFrame, ServerEvent, ServerFrame } from '@av-gym/protocol';

/** Encodes a server frame once, as the bytes every socket will be handed. */
export function encodeFrame(frame: ServerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

/** One event as an `event` frame, several as one `events` frame (`from`/`to`: first and last seq). */
export function encodeEvents(events: readonly ServerEvent[]): Buffer {
  if (events.length === 1) return Buffer.from(JSON.stringify(events[0]));
  const frame: EventsFrame = {
    type: 'events',
    from: events[0]?.seq ?? 0,
    to: events[events.length - 1]?.seq ?? 0,
    events: events as EventsFrame['events'],
  };
  return Buffer.from(JSON.stringify(frame));
}
