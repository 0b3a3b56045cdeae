import { describe, expect, it } from 'vitest';
import { buildFrame, utf8Length } from './frame-builder.js';
import type { QueuedMessage } from './queued-message.js';

const msg = (id: string, type: string, data: unknown): QueuedMessage => ({
  id,
  type,
  data,
  priority: 'high',
  order: 0,
  key: undefined,
  enqueuedAtMs: 0,
  sends: 0,
});

describe('buildFrame', () => {
  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    const text = 'Zoë Ünal 😀 €';
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('builds valid JSON whose bytes and unbatched bytes add up', () => {
    const messages = [
      msg('1', 'check_in', { memberId: 'm_"1"' }),
      msg('2', 'member_update', { memberId: 'm_2', changes: { name: 'Zoë' } }),
      msg('3', 'check_in', { memberId: 'm_3' }),
    ];
    const frame = buildFrame(messages, 4);
    const parsed = JSON.parse(frame.text);
    expect(parsed).toEqual({
      type: 'batch',
      seq: 4,
      batches: {
        check_in: [
          { id: '1', data: { memberId: 'm_"1"' } },
          { id: '3', data: { memberId: 'm_3' } },
        ],
        member_update: [{ id: '2', data: { memberId: 'm_2', changes: { name: 'Zoë' } } }],
      },
      order: [
        ['check_in', 1],
        ['member_update', 1],
        ['check_in', 1],
      ],
    });
    expect(frame.bytes).toBe(new TextEncoder().encode(frame.text).length);
    const singles = messages.map((m) => JSON.stringify({ type: m.type, id: m.id, data: m.data }));
    expect(frame.unbatchedBytes).toBe(singles.reduce((n, s) => n + new TextEncoder().encode(s).length, 0));
  });
});
