import type { ServerEvent, Topic } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { EventFanout, type FanoutTarget } from './event-fanout.js';

const ev = (seq: number, topic: Topic): ServerEvent =>
  ({
    type: 'event',
    seq,
    topic,
    name: topic === 'occupancy' ? 'occupancy.changed' : 'check_in.created',
    data: {},
  }) as ServerEvent;

class Target implements FanoutTarget {
  readonly frames: Buffer[] = [];
  constructor(public topics: ReadonlySet<Topic>) {}
  deliver(data: Buffer): void {
    this.frames.push(data);
  }
  decoded() {
    return this.frames.map((f) => JSON.parse(f.toString()));
  }
}

function manual() {
  const queued: (() => void)[] = [];
  const fanout = new EventFanout({ schedule: (fn) => void queued.push(fn) });
  const tick = () => {
    for (const fn of queued.splice(0)) fn();
  };
  return { fanout, tick, queued };
}

describe('EventFanout', () => {
  it('batches the events of one tick into one events frame per connection', () => {
    const { fanout, tick, queued } = manual();
    const t = new Target(new Set(['check_ins', 'occupancy']));
    fanout.add(t);
    fanout.publish([ev(1, 'check_ins')]);
    fanout.publish([ev(2, 'occupancy'), ev(3, 'check_ins')]);
    expect(queued).toHaveLength(1);
    tick();
    expect(t.decoded()).toEqual([
      {
        type: 'events',
        from: 1,
        to: 3,
        events: [ev(1, 'check_ins'), ev(2, 'occupancy'), ev(3, 'check_ins')],
      },
    ]);
  });

  it('sends a lone event as an event frame', () => {
    const { fanout, tick } = manual();
    const t = new Target(new Set(['occupancy']));
    fanout.add(t);
    fanout.publish([ev(7, 'occupancy')]);
    tick();
    expect(t.decoded()).toEqual([ev(7, 'occupancy')]);
  });

  it('hands the very same bytes to every target with the same topics', () => {
    const { fanout, tick } = manual();
    const a = new Target(new Set(['check_ins']));
    const b = new Target(new Set(['check_ins']));
    const c = new Target(new Set(['occupancy']));
    for (const t of [a, b, c]) fanout.add(t);
    fanout.publish([ev(1, 'check_ins'), ev(2, 'occupancy')]);
    tick();
    expect(a.frames[0]).toBe(b.frames[0]);
    expect(a.decoded()).toEqual([ev(1, 'check_ins')]);
    expect(c.decoded()).toEqual([ev(2, 'occupancy')]);
  });

  it('follows topic changes and removals', () => {
    const { fanout, tick } = manual();
    const t = new Target(new Set(['check_ins']));
    fanout.add(t);
    t.topics = new Set(['occupancy']);
    fanout.add(t);
    fanout.publish([ev(1, 'check_ins'), ev(2, 'occupancy')]);
    tick();
    fanout.remove(t);
    fanout.publish([ev(3, 'occupancy')]);
    tick();
    expect(t.decoded()).toEqual([ev(2, 'occupancy')]);
    expect(fanout.size).toBe(0);
  });

  it('keeps delivering to the others when one target throws', () => {
    const { fanout, tick } = manual();
    const bad: FanoutTarget = {
      topics: new Set(['check_ins']),
      deliver: () => {
        throw new Error('broken socket');
      },
    };
    const good = new Target(new Set(['check_ins']));
    fanout.add(bad);
    fanout.add(good);
    fanout.publish([ev(1, 'check_ins')]);
    tick();
    expect(good.frames).toHaveLength(1);
  });
});
