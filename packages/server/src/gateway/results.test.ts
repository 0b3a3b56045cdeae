import { describe, expect, it } from 'vitest';
import { rejectAll, singleAck } from './results.js';

describe('rejectAll', () => {
  it('refuses every message with the code, naming items without an id by index', () => {
    const results = rejectAll(
      { check_in: [{ id: 'a', data: {} }, { data: {} }, 3], client_stats: [{ id: 'b' }] },
      'RATE_LIMITED',
      'slow down',
    );
    expect(results).toEqual({
      check_in: {
        accepted: [],
        rejected: [
          { id: 'a', code: 'RATE_LIMITED', message: 'slow down' },
          { id: '#1', code: 'RATE_LIMITED', message: 'slow down' },
          { id: '#2', code: 'RATE_LIMITED', message: 'slow down' },
        ],
      },
      client_stats: { accepted: [], rejected: [{ id: 'b', code: 'RATE_LIMITED', message: 'slow down' }] },
    });
  });
});

describe('singleAck', () => {
  it('maps accepted, duplicate and rejected outcomes', () => {
    expect(
      singleAck('check_in', 'a', { check_in: { accepted: ['a'], info: { a: { visitId: 'v1' } } } }),
    ).toEqual({
      type: 'ack',
      id: 'a',
      ok: true,
      info: { visitId: 'v1' },
    });
    expect(singleAck('check_in', 'a', { check_in: { accepted: [], duplicates: ['a'] } })).toEqual({
      type: 'ack',
      id: 'a',
      ok: true,
      duplicate: true,
    });
    expect(
      singleAck('member_update', 'u', {
        member_update: {
          accepted: [],
          rejected: [{ id: 'u', code: 'VERSION_CONFLICT', message: 'stale', data: { version: 3 } }],
        },
      }),
    ).toEqual({
      type: 'ack',
      id: 'u',
      ok: false,
      code: 'VERSION_CONFLICT',
      message: 'stale',
      data: { version: 3 },
    });
  });

  it('answers INTERNAL when the outcome is missing', () => {
    expect(singleAck('check_in', 'zz', {})).toMatchObject({ ok: false, code: 'INTERNAL' });
  });
});
