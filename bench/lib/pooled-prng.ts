import { randomFillSync } from 'node:crypto';

/**
 * A PRNG for `ulid(time, prng)` that draws from a 4 KiB pool of crypto-random bytes, refilled when
 * spent. ulid's default asks the OS for one byte per character (16 `randomFillSync` calls per id),
 * which took 40% of the load generator's CPU and so capped every ingest variant alike.
 */
export function pooledPrng(poolBytes = 4096): () => number {
  const pool = new Uint8Array(poolBytes);
  let next = poolBytes;
  return () => {
    if (next === poolBytes) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] as number) / 256;
  };
}
