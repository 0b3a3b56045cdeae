import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT_PX = 170;
const COLOURS = ['#2f6f5e', '#b45309', '#1d4ed8', '#9333ea', '#be123c', '#0f766e', '#4d7c0f', '#a16207'];

/** Aligns several `[at, value]` series on one time axis (seconds), null where a series has no point. */
export function alignSeries(series: readonly { points: [number, number][] }[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map(([at]) => at)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = times.map(() => null);
    for (const [at, v] of s.points) col[index.get(at) ?? 0] = v;
    return col;
  });
  return [times.map((t) => t / 1000), ...columns] as uPlot.AlignedData;
}

/** A point's time as the axis shows it: clock time, with the day for ranges of days. */
export function clockLabel(atMs: number, rangeLabel: string): string {
  const d = new Date(atMs);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return rangeLabel.includes('day')
    ? `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`
    : time;
}

export interface ChartLine {
  label: string;
  points: [number, number][];
}

/** Lines of one metric over time (uPlot, a time axis with clock labels), with a text summary. */
export function HistoryChart(props: {
  title: string;
  unit: string;
  lines: ChartLine[];
  rangeLabel: string;
  /** The window asked for (epoch ms): the time axis spans it whatever the data covers. */
  fromMs: number;
  toMs: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { lines, unit, fromMs, toMs } = props;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(
      {
        width: Math.max(260, el.clientWidth),
        height: HEIGHT_PX,
        legend: { show: lines.length > 1 && lines.length <= 8 },
        cursor: { points: { show: false } },
        scales: {
          x: { time: true, range: () => [fromMs / 1000, toMs / 1000] },
          y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.15)] },
        },
        axes: [
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' } },
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, label: unit, size: 56 },
        ],
        series: [
          {},
          ...lines.map((l, i) => ({
            label: l.label,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            spanGaps: false,
          })),
        ],
      },
      alignSeries(lines),
      el,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(260, el.clientWidth), height: HEIGHT_PX }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [unit, lines, fromMs, toMs]);

  const points = lines.reduce((n, l) => n + l.points.length, 0);
  const times = lines.flatMap((l) => l.points.map(([at]) => at));
  const span =
    times.length === 0
      ? ''
      : ` · ${clockLabel(Math.min(...times), props.rangeLabel)} to ${clockLabel(Math.max(...times), props.rangeLabel)}`;
  const last = lines
    .map((l) => ({ label: l.label, v: l.points.at(-1)?.[1] }))
    .filter((x) => x.v !== undefined)
    .slice(0, 4)
    .map((x) => `${x.label} ${Math.round((x.v ?? 0) * 10) / 10}`)
    .join(', ');
  return (
    <figure className="chart history-chart" aria-label={`${props.title} over ${props.rangeLabel}`}>
      <figcaption>
        <strong>{props.title}</strong>
        <span className="muted small">
          {' '}
          {points === 0
            ? `· no data in the last ${props.rangeLabel}`
            : `· ${points} points${span} · latest ${last}`}
        </span>
      </figcaption>
      <div ref={box} className="chart-box" aria-hidden="true" />
    </figure>
  );
}
