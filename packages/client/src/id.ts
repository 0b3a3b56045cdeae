import type { RandomSource } from './clock.js';

/** Crockford's base 32, the ULID alphabet (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

/** Fills `out` with 5-bit random values (0-31). */
type RandomDigits = (out: Uint8Array<ArrayBuffer>) => void;

function cryptoDigits(out: Uint8Array<ArrayBuffer>): void {
  globalThis.crypto.getRandomValues(out);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) & 31;
}

function digitsFrom(random: RandomSource): RandomDigits {
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 32) & 31;
  };
}

/**
 * Makes ULIDs (26 chars, time-ordered, lexicographically sortable): 48 bits of milliseconds
 * then 80 random bits. Monotonic: ids made in the same millisecond (or while the clock steps
 * back) increment the previous random part, so every id sorts after the one before.
 * Time-ordered ids keep the server's SQLite inserts fast (random keys cut them 3-4x).
 * Uses `crypto.getRandomValues` from `globalThis` unless a random source is injected.
 * @example
 * const nextId = createIdGenerator(() => Date.now());
 * nextId(); // '01JD3Z6Q0B8W8Y4H7ZJ6P3KQ2M'
 */
export function createIdGenerator(now: () => number, random?: RandomSource): () => string {
  const fill: RandomDigits =
    random !== undefined
      ? digitsFrom(random)
      : typeof globalThis.crypto?.getRandomValues === 'function'
        ? cryptoDigits
        : digitsFrom(Math.random);
  const digits = new Uint8Array(RANDOM_CHARS);
  let lastTime = -1;
  let timePart = '';

  return () => {
    const t = Math.max(0, Math.floor(now()));
    if (t > lastTime) {
      lastTime = t;
      timePart = encodeTime(t);
      fill(digits);
    } else if (!increment(digits)) {
      // the random part overflowed: borrow the next millisecond so order still holds
      lastTime++;
      timePart = encodeTime(lastTime);
      fill(digits);
    }
    let out = timePart;
    for (let i = 0; i < RANDOM_CHARS; i++) out += ALPHABET[digits[i] ?? 0];
    return out;
  };
}

function encodeTime(ms: number): string {
  let t = ms;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** Adds one to the random part; false when it overflowed (all digits were 31). */
function increment(digits: Uint8Array): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = (digits[i] ?? 0) + 1;
    if (d < 32) {
      digits[i] = d;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}
