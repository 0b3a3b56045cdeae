import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './json-depth.js';

/** The nesting depth of a parsed JSON value, the slow recursive way. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, c) => Math.max(max, depthOf(c)), 0);
}

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays', () => {
    expect(jsonDepthExceeds('1', 0)).toBe(false);
    expect(jsonDepthExceeds('{}', 0)).toBe(true);
    expect(jsonDepthExceeds('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('[[],[],[]]', 2)).toBe(false);
  });

  it('ignores brackets inside strings, with escaped quotes and backslashes', () => {
    expect(jsonDepthExceeds('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(jsonDepthExceeds(String.raw`{"a":"\"[[[[\""}`, 1)).toBe(false);
    expect(jsonDepthExceeds(String.raw`{"a\\":[[]]}`, 2)).toBe(true);
    expect(jsonDepthExceeds(String.raw`{"a\\\"[[[":1}`, 1)).toBe(false);
  });

  it('answers on 100,000 levels without running out of stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(jsonDepthExceeds(`{"s":"${'['.repeat(100_000)}"}`, 32)).toBe(false);
  });

  it('never throws on text that is not JSON', () => {
    for (const text of ['"', '"\\', '}}}}', '{"a', '\\"[['])
      expect(typeof jsonDepthExceeds(text, 1)).toBe('boolean');
  });

  it('agrees with the parsed depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, max) => {
        expect(jsonDepthExceeds(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
      { numRuns: 500 },
    );
  });
});
