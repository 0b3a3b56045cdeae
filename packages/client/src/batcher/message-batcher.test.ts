import { type BatchFrame, orderedItems, type Priority } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../testing/manual-clock.js';
import type { OutgoingFrame } from './frame-builder.js';
import { MessageBatcher, type MessageBatcherOptions } from './message-batcher.js';
import type { QueuedMessage } from './queued-message.js';

type Writable = 'open' | 'busy' | 'closed';

function setup(options: Partial<MessageBatcherOptions> = {}) {
  const clock = new ManualClock();
  const frames: OutgoingFrame[] = [];
  const sentAt: number[] = [];
  const dropped: QueuedMessage[] = [];
  let writable: Writable = 'open';
  const batcher = new MessageBatcher(
    {
      writable: () => writable,
      write: (f) => {
        frames.push(f);
        sentAt.push(clock.monotonicNow());
      },
    },
    { clock, onDrop: (m) => dropped.push(m), ...options },
  );
  let n = 0;
  const add = (type: string, data: Record<string, unknown> = {}, priority?: Priority) =>
    batcher.enqueue({ id: `id${String(n++).padStart(4, '0')}`, type, data, priority });
  const ids = (f: OutgoingFrame | undefined) => f?.messages.map((m) => m.id) ?? [];
  return {
    clock,
    frames,
    sentAt,
    dropped,
    batcher,
    add,
    ids,
    setWritable: (w: Writable) => {
      writable = w;
    },
  };
}

describe('MessageBatcher', () => {
  describe('flush', () => {
    it('sends a high-priority message at once, without waiting for the interval', async () => {
      const { add, frames, clock } = setup();
      add('check_in', { memberId: 'm_1' });
      await settle();
      expect(frames).toHaveLength(1);
      expect(clock.monotonicNow()).toBe(0);
      expect(frames[0]?.kind).toBe('single');
    });

    it('sends a synchronous burst as one frame', async () => {
      const { add, frames } = setup();
      for (let i = 0; i < 10; i++) add('check_in', { memberId: `m_${i}` });
      await settle();
      expect(frames).toHaveLength(1);
      expect(frames[0]?.messages).toHaveLength(10);
    });

    it('never puts more than 50 messages in a frame', async () => {
      const { add, frames } = setup();
      for (let i = 0; i < 120; i++) add('check_in', { memberId: `m_${i}` });
      await settle();
      expect(frames.map((f) => f.messages.length)).toEqual([50, 50, 20]);
    });

    it('sends a medium message at once when nothing went out in the last 50 ms', async () => {
      const { add, frames, clock } = setup();
      await clock.advance(1_000);
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      await settle();
      expect(frames).toHaveLength(1);
    });

    it('batches medium messages that queue behind a recent send until the adaptive window closes', async () => {
      const { add, frames, sentAt, clock } = setup();
      add('check_in', { memberId: 'm_0' });
      await clock.advance(10);
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      add('member_update', { memberId: 'm_2', changes: { name: 'B' } });
      await clock.advance(149);
      expect(frames).toHaveLength(1);
      await clock.advance(1);
      expect(frames).toHaveLength(2);
      expect(sentAt[1]).toBe(160); // 10 ms + a 150 ms window (3 arrivals/s is a low rate)
      expect(frames[1]?.messages).toHaveLength(2);
    });

    it('keeps 50 ms between frames of medium and low messages even with a short window', async () => {
      const { add, sentAt, clock } = setup({ minIntervalMs: 5, maxIntervalMs: 5, initialIntervalMs: 5 });
      add('check_in', { memberId: 'm_0' });
      await settle();
      add('client_stats', {});
      await clock.advance(49);
      expect(sentAt).toEqual([0]);
      await clock.advance(1);
      expect(sentAt).toEqual([0, 50]);
    });

    it('sends a full batch of medium messages without waiting for the window', async () => {
      const { add, frames, clock } = setup();
      add('check_in', { memberId: 'm_0' });
      await settle();
      for (let i = 0; i < 50; i++)
        add('member_create', { name: `n${i}`, plan: 'basic', expiresAt: '2027-01-01' });
      await settle();
      expect(frames).toHaveLength(2);
      expect(frames[1]?.messages).toHaveLength(50);
      expect(clock.monotonicNow()).toBe(0);
    });

    it('takes queued medium messages along with a high one', async () => {
      const { add, frames, clock } = setup();
      add('check_in', { memberId: 'm_0' });
      await settle();
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      await clock.advance(5);
      add('check_out', { memberId: 'm_0' });
      await settle();
      expect(frames).toHaveLength(2);
      expect(frames[1]?.messages.map((m) => m.type)).toEqual(['member_update', 'check_out']);
    });

    it('holds messages while the transport is backpressured and polls every 5 ms', async () => {
      const { add, frames, clock, setWritable } = setup();
      setWritable('busy');
      add('check_in', { memberId: 'm_1' });
      await clock.advance(4);
      expect(frames).toHaveLength(0);
      setWritable('open');
      await clock.advance(1);
      expect(frames).toHaveLength(1);
    });

    it('waits for notifyWritable while the transport is closed', async () => {
      const { add, frames, clock, setWritable, batcher } = setup();
      setWritable('closed');
      add('check_in', { memberId: 'm_1' });
      await clock.advance(1_000);
      expect(frames).toHaveLength(0);
      expect(clock.pendingTimers).toBe(0);
      setWritable('open');
      batcher.notifyWritable();
      await settle();
      expect(frames).toHaveLength(1);
    });
  });

  describe('frames', () => {
    it('groups by type and adds the order hint when types interleave', async () => {
      const { add, frames } = setup();
      add('check_in', { memberId: 'm_1' });
      add('member_update', { memberId: 'm_2', changes: { name: 'A' } });
      add('check_out', { memberId: 'm_1' });
      add('check_in', { memberId: 'm_3' });
      await settle();
      const frame = JSON.parse(frames[0]?.text ?? '{}') as BatchFrame;
      expect(Object.keys(frame.batches)).toEqual(['check_in', 'member_update', 'check_out']);
      expect(frame.order).toEqual([
        ['check_in', 1],
        ['member_update', 1],
        ['check_out', 1],
        ['check_in', 1],
      ]);
      const order = orderedItems(frame).map((x) => (x.item as { id: string }).id);
      expect(order).toEqual(['id0000', 'id0001', 'id0002', 'id0003']);
    });

    it('leaves the hint out when key order already is the enqueue order', async () => {
      const { add, frames } = setup();
      add('check_in', { memberId: 'm_1' });
      add('check_in', { memberId: 'm_2' });
      add('check_out', { memberId: 'm_1' });
      await settle();
      expect(JSON.parse(frames[0]?.text ?? '{}')).not.toHaveProperty('order');
    });

    it('sends one message alone in the single-message form', async () => {
      const { add, frames } = setup();
      add('check_in', { memberId: 'm_1' });
      await settle();
      expect(JSON.parse(frames[0]?.text ?? '')).toEqual({
        type: 'check_in',
        id: 'id0000',
        data: { memberId: 'm_1' },
      });
    });
  });

  describe('coalescing', () => {
    it('merges member_updates of one member in one window: later fields win, first baseVersion kept', async () => {
      const { add, frames, batcher, setWritable } = setup();
      setWritable('closed');
      const a = add('member_update', {
        memberId: 'm_1',
        changes: { name: 'A', phone: '555-1' },
        baseVersion: 3,
      });
      const b = add('member_update', { memberId: 'm_1', changes: { phone: '555-2' }, baseVersion: 4 });
      const c = add('member_update', { memberId: 'm_1', changes: { notes: 'x' } });
      expect(a.status).toBe('queued');
      expect(b).toMatchObject({ status: 'coalesced', into: { id: 'id0000' } });
      expect(c).toMatchObject({ status: 'coalesced', into: { id: 'id0000' } });
      setWritable('open');
      batcher.flush();
      expect(frames[0]?.messages).toHaveLength(1);
      expect(frames[0]?.messages[0]?.data).toEqual({
        memberId: 'm_1',
        changes: { name: 'A', phone: '555-2', notes: 'x' },
        baseVersion: 3,
      });
      expect(batcher.stats().coalescedByPriority).toEqual({ high: 0, medium: 2, low: 0 });
    });

    it('does not merge across another message of the same member', () => {
      const { add, setWritable } = setup();
      setWritable('closed');
      add('member_update', { memberId: 'm_1', changes: { status: 'frozen' } });
      add('check_in', { memberId: 'm_1' });
      expect(add('member_update', { memberId: 'm_1', changes: { status: 'active' } }).status).toBe('queued');
    });

    it('does not merge into a message already sent once', async () => {
      const { add, frames, batcher, setWritable } = setup();
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      await settle();
      setWritable('closed');
      batcher.requeue(frames[0]?.messages ?? []);
      expect(add('member_update', { memberId: 'm_1', changes: { name: 'B' } }).status).toBe('queued');
    });
  });

  describe('memory protection', () => {
    it('drops the oldest low-priority messages first when 200 are queued, counting each', () => {
      const { add, dropped, batcher, setWritable } = setup();
      setWritable('closed');
      for (let i = 0; i < 3; i++) add('client_stats', { n: i });
      for (let i = 0; i < 197; i++) add('check_in', { memberId: `m_${i}` });
      expect(batcher.queueDepth).toBe(200);
      expect(add('check_in', { memberId: 'x' }).status).toBe('queued');
      expect(add('member_create', { name: 'n', plan: 'basic', expiresAt: '2027-01-01' }).status).toBe(
        'queued',
      );
      expect(dropped.map((m) => m.id)).toEqual(['id0000', 'id0001']);
      expect(batcher.stats().droppedByPriority).toEqual({ high: 0, medium: 0, low: 2 });
      expect(batcher.queueDepth).toBe(200);
    });

    it('refuses high and medium with backpressure when the queue is full of them, never dropping one', () => {
      const { add, batcher, setWritable } = setup();
      setWritable('closed');
      for (let i = 0; i < 200; i++) add('check_in', { memberId: `m_${i}` });
      expect(add('check_out', { memberId: 'm_1' }).status).toBe('backpressure');
      expect(add('member_update', { memberId: 'q', changes: { name: 'A' } }, 'medium').status).toBe(
        'backpressure',
      );
      expect(add('client_stats', {}).status).toBe('dropped');
      const s = batcher.stats();
      expect(s.refusedByPriority).toEqual({ high: 1, medium: 1, low: 0 });
      expect(s.droppedByPriority).toEqual({ high: 0, medium: 0, low: 1 });
      expect(batcher.takeAll()).toHaveLength(200);
    });

    it('still coalesces into a full queue', () => {
      const { add, setWritable } = setup();
      setWritable('closed');
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      for (let i = 0; i < 199; i++) add('check_in', { memberId: `m_${i + 2}` });
      expect(add('member_update', { memberId: 'm_1', changes: { name: 'B' } }).status).toBe('coalesced');
    });

    it('takes requeued messages back past the limit', () => {
      const { add, batcher, setWritable } = setup();
      setWritable('closed');
      for (let i = 0; i < 200; i++) add('check_in', { memberId: `m_${i}` });
      const extra = batcher.takeAll().slice(0, 10);
      for (let i = 0; i < 200; i++) add('check_in', { memberId: `n_${i}` });
      batcher.requeue(extra);
      expect(batcher.queueDepth).toBe(210);
    });
  });

  describe('optimization off', () => {
    it('sends each message alone, at once, and merges nothing; on again batches again', async () => {
      const { add, frames, batcher } = setup({ optimization: false });
      add('member_update', { memberId: 'm_1', changes: { name: 'A' } });
      add('member_update', { memberId: 'm_1', changes: { name: 'B' } });
      add('client_stats', {});
      await settle();
      expect(frames.map((f) => f.kind)).toEqual(['single', 'single', 'single']);
      batcher.setOptimization(true);
      add('check_in', { memberId: 'm_1' });
      add('check_in', { memberId: 'm_2' });
      await settle();
      expect(frames[3]?.messages).toHaveLength(2);
    });
  });

  describe('statistics', () => {
    it('counts batches, messages, sizes and the bytes batching saved', async () => {
      const { add, batcher } = setup();
      for (let i = 0; i < 10; i++) add('check_in', { memberId: `m_${i}` });
      await settle();
      add('check_in', { memberId: 'x' });
      await settle();
      const s = batcher.stats();
      expect(s).toMatchObject({
        batchesSent: 2,
        messagesSent: 11,
        avgBatchSize: 5.5,
        maxBatchSize: 10,
        queueDepth: 0,
      });
      expect(s.bytesSaved).toBe(s.bytesUnbatched - s.bytesSent);
      expect(s.bytesSaved).toBeGreaterThan(0);
      expect(s.savedRatio).toBeCloseTo(s.bytesSaved / s.bytesUnbatched);
      expect(s.currentIntervalMs).toBe(150); // 11 arrivals a second is a low rate: the longest window
    });

    it('zeroes cumulative counters on reset and keeps the queue', async () => {
      const { add, batcher, setWritable } = setup();
      add('check_in', { memberId: 'm_1' });
      await settle();
      setWritable('closed');
      add('check_in', { memberId: 'm_2' });
      batcher.resetStats();
      expect(batcher.stats()).toMatchObject({ batchesSent: 0, messagesSent: 0, bytesSent: 0, queueDepth: 1 });
    });
  });
});
