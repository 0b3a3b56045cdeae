import { Counter, Gauge, type Registry } from 'prom-client';
import type { StoreMetricFigures } from '../store/housekeeping.js';

/**
 * The store's figures in `/metrics`, read once per scrape (one `figures()` call: file sizes are a
 * `stat`, row counts come from the last housekeeping pass, never a `count(*)` at scrape time):
 * - `avgym_store_rows{table}`: rows of processed_messages, staff_sessions, client_stats, members, visits, event_log
 * - `avgym_store_file_bytes{file}`: `database` (SQLite file or PostgreSQL database) and `wal` (SQLite)
 * - `avgym_store_sqlite_pragma{pragma="synchronous"}`: the SQLite writer's setting (2 = FULL)
 * - `avgym_retention_deleted_total{table}`: rows the housekeeper deleted
 * - `avgym_housekeeping_passes_total{result}`: passes, `ok` or `failed`
 */
export function registerStoreGauges(registry: Registry, read: () => Promise<StoreMetricFigures>): void {
  // Every metric below collects from the same scrape's figures.
  let scrape: Promise<StoreMetricFigures> | undefined;
  const figures = () => {
    scrape ??= read().finally(() => {
      setImmediate(() => {
        scrape = undefined;
      });
    });
    return scrape;
  };
  new Gauge({
    name: 'avgym_store_rows',
    help: 'Rows per table, as of the last housekeeping pass',
    labelNames: ['table'],
    registers: [registry],
    async collect() {
      const { rows } = await figures();
      this.reset();
      for (const [table, n] of Object.entries(rows ?? {})) this.set({ table }, n);
    },
  });
  new Gauge({
    name: 'avgym_store_file_bytes',
    help: 'Bytes on disk: the database, and the SQLite write-ahead log',
    labelNames: ['file'],
    registers: [registry],
    async collect() {
      const { files } = await figures();
      this.reset();
      this.set({ file: 'database' }, files.databaseBytes);
      if (files.walBytes !== undefined) this.set({ file: 'wal' }, files.walBytes);
    },
  });
  new Gauge({
    name: 'avgym_store_sqlite_pragma',
    help: "SQLite pragmas of the writer's connection: synchronous 2 = FULL (acked commits survive power loss)",
    labelNames: ['pragma'],
    registers: [registry],
    async collect() {
      const { files } = await figures();
      this.reset();
      if (files.synchronous !== undefined) this.set({ pragma: 'synchronous' }, files.synchronous);
    },
  });
  new Counter({
    name: 'avgym_retention_deleted_total',
    help: 'Rows deleted by the housekeeper past their retention window or row cap',
    labelNames: ['table'],
    registers: [registry],
    async collect() {
      const { deletedTotal } = await figures();
      this.reset();
      for (const [table, n] of Object.entries(deletedTotal)) this.inc({ table }, n);
    },
  });
  new Counter({
    name: 'avgym_housekeeping_passes_total',
    help: 'Housekeeping passes (retention deletes, WAL truncation, row counts), by result',
    labelNames: ['result'],
    registers: [registry],
    async collect() {
      const { passes } = await figures();
      this.reset();
      this.inc({ result: 'ok' }, passes.ok);
      this.inc({ result: 'failed' }, passes.failed);
    },
  });
}
