import { DROPPABLE_EVENTS, type ServerEvent } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { encodeEvents } from './encode.js';
import { OutboundBudget } from './outbound-budget.js';
import { type OutboundItem, OutboundQueue, type OutboundSocket } from './outbound-queue.js';

/** A socket whose kernel buffer we control: writes stay buffered until `drain()`. */
class SlowSocket implements OutboundSocket {
  bufferedAmount = 0;
  readonly written: Buffer[] = [];
  private callbacks: (() => void)[] = [];
  send(data: Buffer, _options: { binary: boolean }, cb: (err?: Error) => void): void {
    this.written.push(data);
    this.bufferedAmount += data.length;
    this.callbacks.push(() => cb());
  }
  drain(): void {
    this.bufferedAmount = 0;
    for (const cb of this.callbacks.splice(0)) cb();
  }
}

const occupancy = (seq: number): ServerEvent =>
  ({
    type: 'event',
    seq,
    topic: 'occupancy',
    name: 'occupancy.changed',
    data: { current: 1, capacity: 9, todayTotal: 1 },
  }) as ServerEvent;
const checkIn = (seq: number): ServerEvent =>
  ({
    type: 'event',
    seq,
    topic: 'check_ins',
    name: 'check_in.created',
    data: { visitId: `v${seq}`, memberId: 'm', memberName: 'x'.repeat(100), deskId: null, at: 1 },
  }) as ServerEvent;
const item = (events: ServerEvent[]): OutboundItem => ({ data: encodeEvents(events), events });

function setup(softBytes: number, hardBytes: number, budget?: OutboundBudget) {
  const socket = new SlowSocket();
  const overflows: number[] = [];
  let dropped = 0;
  const queue = new OutboundQueue(socket, {
    softBytes,
    hardBytes,
    isDroppable: (e) => DROPPABLE_EVENTS.has(e.name),
    encode: encodeEvents,
    onOverflow: () => overflows.push(1),
    onDrop: (n) => {
      dropped += n;
    },
    ...(budget ? { budget } : {}),
  });
  return { socket, queue, overflows, dropped: () => dropped };
}

const seqsOf = (buffers: Buffer[]) =>
  buffers.flatMap((b) => {
    const f = JSON.parse(b.toString());
    return f.type === 'events' ? f.events.map((e: ServerEvent) => e.seq) : [f.seq];
  });

describe('OutboundQueue', () => {
  it('writes at once while the socket keeps up', () => {
    const { socket, queue } = setup(1000, 10_000);
    queue.push({ data: Buffer.from('{"type":"pong"}') });
    socket.drain();
    queue.push({ data: Buffer.from('{"type":"pong"}') });
    expect(socket.written).toHaveLength(2);
    expect(queue.pendingFrames).toBe(0);
  });

  it('holds frames behind a full socket and sends them in order when it drains', () => {
    const { socket, queue } = setup(300, 100_000);
    for (let i = 1; i <= 6; i++) queue.push(item([checkIn(i)]));
    expect(socket.written.length).toBeLessThan(6);
    expect(queue.pendingFrames).toBeGreaterThan(0);
    while (queue.pendingFrames > 0) socket.drain();
    expect(seqsOf(socket.written)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sheds droppable events first and keeps every other event in order', () => {
    const { socket, queue, dropped } = setup(300, 100_000);
    let seq = 0;
    for (let i = 0; i < 10; i++) queue.push(item([checkIn(++seq), occupancy(++seq)]));
    expect(dropped()).toBeGreaterThan(0);
    while (queue.pendingFrames > 0) socket.drain();
    const sent = seqsOf(socket.written);
    const checkIns = Array.from({ length: 10 }, (_, i) => 2 * i + 1);
    expect(sent.filter((s) => s % 2 === 1)).toEqual(checkIns);
    expect(sent.length).toBe(20 - dropped());
  });

  it('gives up past the hard limit, frees what waits, and refuses more', () => {
    const { queue, overflows } = setup(200, 2000);
    let accepted = true;
    for (let i = 1; i <= 100 && accepted; i++) accepted = queue.push(item([checkIn(i)]));
    expect(accepted).toBe(false);
    expect(overflows).toHaveLength(1);
    expect(queue.isClosed).toBe(true);
    expect(queue.pendingFrames).toBe(0);
    expect(queue.push({ data: Buffer.from('{}') })).toBe(false);
  });

  it('never holds more than the hard limit, whatever is pushed', () => {
    const { queue } = setup(500, 5000);
    let maxDepth = 0;
    for (let i = 1; i <= 1000; i++) {
      queue.push(item([checkIn(i), occupancy(i + 10_000)]));
      maxDepth = Math.max(maxDepth, queue.depthBytes);
    }
    expect(maxDepth).toBeLessThanOrEqual(5000);
  });
});

describe('OutboundQueue with a shared budget', () => {
  it('closes a reader behind its soft limit once all readers together spend the budget', () => {
    const budget = new OutboundBudget(6000);
    const slow = [setup(1000, 100_000, budget), setup(1000, 100_000, budget), setup(1000, 100_000, budget)];
    let seq = 0;
    // each slow reader holds ~2.5 KB: under its own hard limit, but 3 x 2.5 KB spends the budget
    for (let round = 0; round < 20; round++) {
      for (const s of slow) s.queue.push(item([checkIn(++seq)]));
    }
    expect(slow.some((s) => s.overflows.length > 0)).toBe(true);
    expect(budget.usedBytes).toBeLessThanOrEqual(6000 + 3 * 200);
  });

  it('never closes a reader that keeps up, and gives back what a closed queue held', () => {
    const budget = new OutboundBudget(3000);
    const lagging = setup(500, 100_000, budget);
    const keeping = setup(500, 100_000, budget);
    let seq = 0;
    for (let i = 0; i < 40; i++) {
      lagging.queue.push(item([checkIn(++seq)]));
      keeping.queue.push(item([checkIn(++seq)]));
      keeping.socket.drain();
    }
    expect(lagging.overflows.length).toBe(1);
    expect(keeping.overflows.length).toBe(0);
    expect(keeping.queue.isClosed).toBe(false);
    // the closed queue's bytes are released; only the live reader's remain counted
    expect(budget.usedBytes).toBe(keeping.queue.depthBytes);
  });
});
