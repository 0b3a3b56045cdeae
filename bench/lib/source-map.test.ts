import { describe, expect, it } from 'vitest';
import { decodeVlq } from './source-map.js';

describe('decodeVlq', () => {
  it('decodes the segments of a source map', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('AACA')).toEqual([0, 0, 1, 0]);
    expect(decodeVlq('SAAS')).toEqual([9, 0, 0, 9]);
    expect(decodeVlq('gBAAgB')).toEqual([16, 0, 0, 16]);
    expect(decodeVlq('D')).toEqual([-1]);
  });
});
