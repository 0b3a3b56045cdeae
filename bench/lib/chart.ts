import { formatFigure } from './report-table.js';
import type { BenchResult } from './result.js';

interface Bar {
  label: string;
  value: number;
  ours: boolean;
}

interface Group {
  title: string;
  bars: Bar[];
}

const ROW_PX = 22;
const LABEL_PX = 330;
const BAR_PX = 360;
const WIDTH_PX = LABEL_PX + BAR_PX + 110;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart as hand-written SVG: one block per group, each scaled to its own largest
 * bar (throughputs differ by orders of magnitude between scenarios). Ours in blue, peers in grey.
 */
export function barChartSvg(title: string, unit: string, groups: Group[]): string {
  const parts: string[] = [];
  let y = 40;
  for (const group of groups.filter((g) => g.bars.length > 0)) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += 8;
    const max = Math.max(...group.bars.map((b) => b.value), 1e-9);
    for (const bar of group.bars) {
      const w = Math.max(1, (bar.value / max) * BAR_PX);
      const fill = bar.ours ? '#2563eb' : '#9ca3af';
      parts.push(
        `<text x="${LABEL_PX - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${LABEL_PX}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_PX - 6}" fill="${fill}"/>`,
        `<text x="${(LABEL_PX + w + 6).toFixed(1)}" y="${y + 15}">${escapeXml(formatFigure(bar.value))} ${escapeXml(unit)}</text>`,
      );
      y += ROW_PX;
    }
    y += 20;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH_PX}" height="${y}" viewBox="0 0 ${WIDTH_PX} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

const isOurs = (r: BenchResult) => r.variant.startsWith('av-gym');

function group(
  results: BenchResult[],
  scenario: string,
  title: string,
  pick: (r: BenchResult) => number | undefined,
): Group {
  const bars = results
    .filter((r) => r.scenario === scenario && pick(r) !== undefined)
    .map((r) => ({ label: r.variant, value: pick(r)!, ours: isOurs(r) }));
  return { title, bars };
}

/** The throughput chart: ingest msgs/s, fan-out deliveries/s, ceilings. */
export function throughputSvg(results: BenchResult[]): string {
  return barChartSvg('Throughput per variant (higher is better)', '/s', [
    group(results, 'ingest', 'ingest: acked messages/s (100 desks, durable)', (r) => r.msgsPerSec),
    group(results, 'fanout', 'fanout: deliveries/s', (r) => r.msgsPerSec),
    group(results, 'ceiling', 'ceilings of this machine', (r) => r.msgsPerSec),
  ]);
}

/** The latency chart: p99 of ingest acks, fan-out events, high-priority added delay. */
export function latencySvg(results: BenchResult[]): string {
  return barChartSvg('p99 latency per variant (lower is better)', 'ms', [
    group(results, 'ingest', 'ingest: ack latency p99', (r) => r.p99Ms),
    group(results, 'fanout', 'fanout: event latency p99', (r) => r.p99Ms),
    group(results, 'latency', 'batcher: high-priority added delay p99', (r) => r.p99Ms),
  ]);
}
