import { describe, expect, it } from 'vitest';
import { protocolViolation } from './helpers.js';

const text = (frame: object) => JSON.stringify(frame);
const event = { type: 'event', seq: 1, topic: 'occupancy', name: 'occupancy.changed', at: 1, data: {} };

describe('protocolViolation', () => {
  it('passes a frame the server may send', () => {
    expect(protocolViolation(text({ type: 'pong', ts: 1, serverTime: 2 }))).toBeUndefined();
    const data = { current: 1, capacity: 10, todayTotal: 3 };
    expect(protocolViolation(text({ ...event, data }))).toBeUndefined();
  });

  it('names a frame off its schema, an unknown code, and bad event data', () => {
    expect(protocolViolation(text({ type: 'pong', ts: 1 }))).toContain('bad pong frame');
    expect(protocolViolation(text({ type: 'error', code: 'NOPE', message: 'm' }))).toBe('unknown code NOPE');
    const rejected = [{ id: 'a', code: 'NOPE', message: 'm' }];
    const ack = { type: 'ack', seq: 1, results: { check_in: { accepted: [], rejected } } };
    expect(protocolViolation(text(ack))).toBe('unknown code NOPE');
    expect(protocolViolation(text(event))).toContain('occupancy.changed data');
    const moved = { ...event, topic: 'members', data: { current: 1, capacity: 1, todayTotal: 1 } };
    expect(protocolViolation(text({ type: 'events', from: 1, to: 1, events: [moved] }))).toContain(
      'on topic',
    );
  });
});
