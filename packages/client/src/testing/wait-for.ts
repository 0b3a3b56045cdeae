/** Polls `check` in real time (every 5 ms) until it is truthy; throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
