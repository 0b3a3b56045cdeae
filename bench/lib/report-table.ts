import type { BenchReport, BenchResult } from './result.js';

const COLUMNS: { key: keyof BenchResult; title: string }[] = [
  { key: 'scenario', title: 'scenario' },
  { key: 'variant', title: 'variant' },
  { key: 'msgsPerSec', title: 'msgs/s' },
  { key: 'acceptedPerSec', title: 'accepted/s' },
  { key: 'p50Ms', title: 'p50 ms' },
  { key: 'p99Ms', title: 'p99 ms' },
  { key: 'maxMs', title: 'max ms' },
  { key: 'bytesPerMsg', title: 'bytes/msg' },
  { key: 'downBytesPerMsg', title: 'down B/msg' },
  { key: 'roundTripBytesPerMsg', title: 'round trip B/msg' },
  { key: 'serverRssMb', title: 'server RSS MB' },
  { key: 'clientHeapMb', title: 'client heap MB' },
];

/** A figure as a person reads it: thousands grouped, small values with 3 significant digits. */
export function formatFigure(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}

/** The results as a plain-text table for stdout. */
export function formatTable(report: BenchReport): string {
  const rows = report.results.map((r) => COLUMNS.map((c) => formatFigure(r[c.key])));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const head = `${report.machine.cpus} x ${report.machine.model}, node ${report.machine.node}, ${report.generatedAt}`;
  return [
    head,
    line(COLUMNS.map((c) => c.title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** The results as a Markdown table. */
export function markdownTable(results: BenchResult[]): string {
  const used = COLUMNS.filter((c) => results.some((r) => r[c.key] !== undefined));
  const head = `| ${used.map((c) => c.title).join(' | ')} |`;
  const rule = `|${used.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`;
  const rows = results.map((r) => `| ${used.map((c) => formatFigure(r[c.key])).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}
