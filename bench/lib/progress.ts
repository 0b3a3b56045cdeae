const startedAt = performance.now();

/** Progress line on stderr with the time since the run started (stdout stays for the table). */
export function progress(line: string): void {
  const s = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${line}\n`);
}
