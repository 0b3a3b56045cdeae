import { describe, expect, it } from 'vitest';
import { createIdGenerator } from './id.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('createIdGenerator', () => {
  it('makes 26-character Crockford base-32 ids', () => {
    const next = createIdGenerator(() => 1_764_000_000_000);
    for (let i = 0; i < 100; i++) expect(next()).toMatch(ULID);
  });

  it('encodes the time in the first 10 characters', () => {
    const next = createIdGenerator(
      () => 0,
      () => 0,
    );
    expect(next()).toBe('0000000000' + '0'.repeat(16));
    const at = createIdGenerator(
      () => 32,
      () => 0,
    );
    expect(at().slice(0, 10)).toBe('0000000010');
  });

  it('sorts ids made in the same millisecond in the order they were made', () => {
    const next = createIdGenerator(
      () => 1_000,
      () => 0.999,
    );
    const ids = Array.from({ length: 1_000 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays monotonic when the clock steps back', () => {
    let t = 5_000;
    const next = createIdGenerator(() => t);
    const a = next();
    t = 4_000;
    const b = next();
    expect(b > a).toBe(true);
  });

  it('sorts ids of later milliseconds after earlier ones', () => {
    let t = 1_000;
    const next = createIdGenerator(() => t);
    const a = next();
    t = 1_001;
    expect(next() > a).toBe(true);
  });

  it('is reproducible with an injected random source', () => {
    const a = createIdGenerator(
      () => 7,
      () => 0.5,
    );
    const b = createIdGenerator(
      () => 7,
      () => 0.5,
    );
    expect(a()).toBe(b());
  });
});
