import { describe, expect, it } from 'vitest';
import { countVisitEvents } from './dashboards.js';

describe('countVisitEvents', () => {
  it('counts the visit events of a batched events frame', () => {
    const events = [1, 2, 3].map((seq) => ({
      type: 'event',
      seq,
      topic: 'check_ins',
      name: 'check_in.created',
    }));
    const frame = JSON.stringify({
      type: 'events',
      from: 1,
      to: 4,
      events: [...events, { type: 'event', seq: 4, topic: 'occupancy', name: 'occupancy.changed' }],
    });
    expect(countVisitEvents(Buffer.from(frame))).toBe(3);
  });

  it('counts one in a socket.io packet and none in a ping', () => {
    expect(
      countVisitEvents(Buffer.from('42["event",{"topic":"check_ins","name":"check_out.created"}]')),
    ).toBe(1);
    expect(countVisitEvents(Buffer.from('2'))).toBe(0);
  });
});
