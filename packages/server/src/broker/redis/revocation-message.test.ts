import { describe, expect, it } from 'vitest';
import { decodeRevocation, encodeRevocation, MAX_IDS_PER_MESSAGE } from './revocation-message.js';

const id = (n: number) => n.toString(16).padStart(64, '0');

describe('revocation messages', () => {
  it('round-trips, splitting long id lists into several messages', () => {
    const ids = Array.from({ length: MAX_IDS_PER_MESSAGE + 1 }, (_, i) => id(i));
    const payloads = encodeRevocation('node-a', ids, 'logged out');
    expect(payloads).toHaveLength(2);
    const decoded = payloads.map(decodeRevocation);
    expect(decoded.flatMap((m) => m?.ids ?? [])).toEqual(ids);
    expect(decoded.every((m) => m?.from === 'node-a' && m.reason === 'logged out')).toBe(true);
  });

  it('ignores anything that is not a revocation', () => {
    for (const payload of [
      'not json',
      'null',
      '[]',
      JSON.stringify({ from: 'x', ids: [], reason: 'r' }),
      JSON.stringify({ from: 'x', ids: ['not-a-hash'], reason: 'r' }),
      JSON.stringify({ from: 'x', ids: [id(1)], reason: 'r'.repeat(201) }),
      JSON.stringify({ from: 1, ids: [id(1)], reason: 'r' }),
    ]) {
      expect(decodeRevocation(payload)).toBeUndefined();
    }
  });
});
