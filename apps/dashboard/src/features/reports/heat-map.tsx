import type { VisitsByHourReport } from '@av-gym/protocol';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Shade of a cell: 0 (none) to 5 (the busiest hour of the week), so colour is a second cue beside the number. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((value / max) * 5));
}

/**
 * Visits by hour of week as a table: hours down, days across (seven columns fit a phone), every
 * cell showing its number, shaded by how busy it is; the table itself is the accessible form.
 */
export function HeatMap(props: { report: VisitsByHourReport; caption: string }) {
  const { cells, max } = props.report;
  return (
    <table className="heat-map">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Hour</th>
          {DAYS.map((d, i) => (
            <th key={d} scope="col">
              <abbr title={DAY_NAMES[i]}>{d}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: 24 }, (_, hour) => {
          const label = `${String(hour).padStart(2, '0')}:00`;
          return (
            <tr key={label}>
              <th scope="row">{label}</th>
              {cells.map((row, day) => {
                const value = row[hour] ?? 0;
                return (
                  <td
                    key={DAYS[day]}
                    className={`heat-${heatLevel(value, max)}`}
                    aria-label={`${DAY_NAMES[day]} ${label}: ${value} visits`}
                  >
                    {value}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
