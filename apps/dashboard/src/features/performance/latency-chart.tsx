import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMs } from './format.js';

const HEIGHT_PX = 180;

/** The kept latency samples as a line (uPlot), with a text summary for screen readers. */
export function LatencyChart({ samplesMs }: { samplesMs: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT_PX,
        legend: { show: false },
        cursor: { show: true, points: { show: false } },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.2)] } },
        axes: [
          {
            stroke: '#6b7280',
            grid: { stroke: '#eef0f3' },
            label: 'sample',
            incrs: [1, 2, 5, 10, 20, 25, 50],
          },
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, label: 'ms', size: 50 },
        ],
        series: [{}, { label: 'Latency', stroke: '#2f6f5e', width: 2, fill: 'rgba(47,111,94,0.08)' }],
      },
      [[], []],
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT_PX }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([samplesMs.map((_, i) => i + 1), samplesMs]);
  }, [samplesMs]);

  const last = samplesMs.at(-1);
  const max = samplesMs.length > 0 ? Math.max(...samplesMs) : undefined;
  return (
    <figure className="chart">
      <div ref={box} className="chart-box" aria-hidden="true" />
      <figcaption className="muted">
        {samplesMs.length === 0
          ? 'No latency samples yet.'
          : `${samplesMs.length} latency samples kept; latest ${formatMs(last)}, highest ${formatMs(max)}.`}
      </figcaption>
    </figure>
  );
}
