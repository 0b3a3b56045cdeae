import type { VisitsPerDayReport } from '@av-gym/protocol';

const W = 600;
const H = 180;

/**
 * Visits per day as bars, the 7-day mean as a line and the fitted trend dashed (SVG scaled to the
 * card, so it never scrolls sideways); a summary in words and the figures in a table beside it.
 */
export function VisitsChart(props: { report: VisitsPerDayReport }) {
  const { days, trend } = props.report;
  if (days.length === 0) return <p className="muted">No days in the range.</p>;
  const max = Math.max(1, ...days.map((d) => d.visits));
  const x = (i: number) => (days.length === 1 ? W / 2 : (i / (days.length - 1)) * (W - 8) + 4);
  const y = (v: number) => H - 4 - (Math.max(0, v) / max) * (H - 8);
  const barWidth = Math.max(1, (W - 8) / days.length - 1);
  const mean = days
    .map((d, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(d.movingAverage7).toFixed(1)}`)
    .join('');
  const last = days.length - 1;
  const total = days.reduce((s, d) => s + d.visits, 0);
  const direction = trend.slopePerDay > 0.05 ? 'rising' : trend.slopePerDay < -0.05 ? 'falling' : 'flat';
  const summary = `${total} visits over ${days.length} days; the trend is ${direction} (${trend.slopePerDay.toFixed(2)} visits per day each day)`;
  return (
    <figure className="visits-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {days.map((d, i) => (
          <rect
            key={d.date}
            x={x(i) - barWidth / 2}
            y={y(d.visits)}
            width={barWidth}
            height={H - 4 - y(d.visits)}
            className="bar"
          />
        ))}
        <path d={mean} className="mean" />
        <line
          x1={x(0)}
          y1={y(trend.intercept)}
          x2={x(last)}
          y2={y(trend.intercept + trend.slopePerDay * last)}
          className="trend"
        />
      </svg>
      <figcaption>{summary}. Bars: visits; line: 7-day mean; dashed: fitted trend.</figcaption>
      <details>
        <summary>Visits per day as a table</summary>
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Visits</th>
              <th scope="col">7-day mean</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <td>{d.date}</td>
                <td>{d.visits}</td>
                <td>{d.movingAverage7}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
