import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, clean } from './result.js';

/** What every scenario gets: timings of this run, a temp folder, and where to put its rows. */
export class BenchContext {
  readonly results: BenchResult[] = [];
  readonly root = mkdtempSync(join(tmpdir(), 'av-gym-bench-'));
  private dirs = 0;

  constructor(
    readonly quick: boolean,
    /** Where `--cpu-prof` profiles of the av-gym server go, when profiling. */
    readonly profileDir?: string,
  ) {}

  /** Warm-up before each measured window. */
  get warmupMs(): number {
    return this.quick ? 300 : 2_000;
  }

  /** Warm-up of ingest runs: long enough for 100 desks' windows to fill and the server to settle. */
  get ingestWarmupMs(): number {
    return this.quick ? 2_000 : 3_000;
  }

  /** Length of each measured window. */
  get durationMs(): number {
    return this.quick ? 1_200 : 8_000;
  }

  /** A fresh empty folder (a server's DATA_DIR). */
  freshDir(name: string): string {
    const dir = join(this.root, `${++this.dirs}-${name.replace(/[^a-z0-9-]/gi, '_')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  add(result: BenchResult): void {
    this.results.push(clean(result));
  }
}
